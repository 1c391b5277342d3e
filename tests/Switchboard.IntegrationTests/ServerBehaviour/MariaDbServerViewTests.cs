namespace Switchboard.IntegrationTests.ServerBehaviour;

public sealed class MariaDbServerViewTests() : ServerViewTests(new MariaDbServerEngine());

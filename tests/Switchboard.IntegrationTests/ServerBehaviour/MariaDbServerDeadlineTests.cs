namespace Switchboard.IntegrationTests.ServerBehaviour;

public sealed class MariaDbServerDeadlineTests() : ServerDeadlineTests(new MariaDbServerEngine());

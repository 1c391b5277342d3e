namespace Switchboard.IntegrationTests.ServerBehaviour;

public sealed class PostgreSqlServerViewTests() : ServerViewTests(new PostgreSqlServerEngine());

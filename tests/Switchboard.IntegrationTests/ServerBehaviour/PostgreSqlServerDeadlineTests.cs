namespace Switchboard.IntegrationTests.ServerBehaviour;

public sealed class PostgreSqlServerDeadlineTests() : ServerDeadlineTests(new PostgreSqlServerEngine());

namespace Switchboard.IntegrationTests.ServerBehaviour;

public sealed class PostgreSqlServerRestartTests(ThrowawayServers servers) : ServerRestartTests(new PostgreSqlServerEngine(), "postgres", servers);

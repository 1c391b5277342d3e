namespace Switchboard.IntegrationTests.ServerBehaviour;

public sealed class MariaDbServerRestartTests(ThrowawayServers servers) : ServerRestartTests(new MariaDbServerEngine(), "mariadb", servers);

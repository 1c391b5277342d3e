namespace Switchboard.IntegrationTests.ServerBehaviour;

/// <summary>
/// The restart tests run one at a time, on throwaway servers of their own (<see cref="ThrowawayServers"/>): a restart
/// of the shared servers would break whatever other test classes run on them at that moment.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServerRestartsDefinition : ICollectionFixture<ThrowawayServers>
{
    public const string Name = "Server restarts";
}

namespace Switchboard;

// Which registry this is, in metrics: two registries may each configure a connection of the same name.
public sealed partial class ConnectionRegistry
{
    private static int s_lastId;

    /// <summary>
    /// Identifies this registry in the process, for telemetry: every pool instrument carries it in the
    /// <see cref="SwitchboardDiagnostics.RegistryIdTag"/> tag, next to the connection's name.
    /// </summary>
    /// <value>A number unique in the process: 1 for the first registry created, 2 for the next, and so on.</value>
    public int Id { get; } = Interlocked.Increment(ref s_lastId);
}

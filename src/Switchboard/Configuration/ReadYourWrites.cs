namespace Switchboard;

/// <summary>How a connection with replicas keeps a flow's reads from missing that flow's own writes (key <c>read_your_writes</c>).</summary>
public enum ReadYourWrites
{
    /// <summary>
    /// After a committed write, the flow remembers the primary's replication position; its later reads go to a replica known
    /// to have replayed that position, or to the primary. The default where the engine reports positions.
    /// </summary>
    Causal,

    /// <summary>For <c>sticky_window</c> after the flow's last write, its reads go to the primary.</summary>
    Window,

    /// <summary>Reads go to replicas whatever the flow wrote; a read may miss the flow's own recent writes.</summary>
    Off,
}

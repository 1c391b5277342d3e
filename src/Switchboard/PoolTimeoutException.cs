namespace Switchboard;

/// <summary>
/// Every connection of a pool stayed in use for longer than <see cref="ConnectionConfig.PoolTimeout"/>.
/// The message names the connection, the pool size and the wait; it is transient.
/// </summary>
public sealed class PoolTimeoutException : ConnectionException
{
    /// <summary>Creates the exception for a pool that had no free connection in time.</summary>
    public PoolTimeoutException(string connectionName, int poolSize, TimeSpan waited)
        : base(
            $"Timed out after {FormatWait(waited)} waiting for a connection from pool '{connectionName}': all {poolSize} connections are in use. "
            + "Raise pool_size or pool_timeout for this connection, or release connections sooner (dispose transactions and leases promptly).",
            connectionName,
            isTransient: true,
            innerException: null)
    {
        PoolSize = poolSize;
        Waited = waited;
    }

    /// <summary>Creates the exception with a message of its own (a connect or a pre-ping that outlived the wait).</summary>
    internal PoolTimeoutException(string message, string connectionName, int poolSize, TimeSpan waited)
        : base(message, connectionName, isTransient: true, innerException: null)
    {
        PoolSize = poolSize;
        Waited = waited;
    }

    /// <summary>The pool's size (its bound on physical connections).</summary>
    public int PoolSize { get; }

    /// <summary>How long the caller waited.</summary>
    public TimeSpan Waited { get; }

    internal static string FormatWait(TimeSpan wait) =>
        wait.TotalSeconds >= 1 ? $"{wait.TotalSeconds:0.###} s" : $"{wait.TotalMilliseconds:0.###} ms";
}

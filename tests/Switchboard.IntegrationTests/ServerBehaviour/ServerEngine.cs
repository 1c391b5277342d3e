using System.Globalization;

namespace Switchboard.IntegrationTests.ServerBehaviour;

/// <summary>
/// What the server-behaviour tests need of one engine: its server variable and driver, how the server tells the
/// sessions of one pool apart from everyone else's, how to read those sessions and how to end one.
/// </summary>
public abstract class ServerEngine
{
    /// <summary>The environment variable holding the shared server's URL.</summary>
    public abstract string Variable { get; }

    /// <summary>The driver name configured.</summary>
    public abstract string Driver { get; }

    /// <summary>A query returning the server's id of the session running it.</summary>
    public abstract string SessionIdSql { get; }

    /// <summary>A query that sleeps <paramref name="seconds"/> on the server, then returns the id of its session.</summary>
    public abstract string SessionIdAfterSleepSql(double seconds);

    /// <summary>A statement that ends session <paramref name="sessionId"/> from another session.</summary>
    public abstract string KillSql(long sessionId);

    /// <summary>Run on the monitor before the pool <paramref name="tag"/> connects: whatever makes its sessions recognisable.</summary>
    public virtual Task PrepareAsync(Connection monitor, string tag, ConnectionConfig server) => Task.CompletedTask;

    /// <summary>Run on the monitor after the test: undoes <see cref="PrepareAsync"/>.</summary>
    public virtual Task CleanUpAsync(Connection monitor, string tag) => Task.CompletedTask;

    /// <summary>Turns <paramref name="config"/>, read from the server's URL, into that of the pool under test named <paramref name="tag"/>.</summary>
    public virtual void ConfigurePool(ConnectionConfig config, string tag)
    {
    }

    /// <summary>The ids of the sessions the server has for the pool <paramref name="tag"/> now, read on <paramref name="monitor"/>.</summary>
    public abstract Task<IReadOnlyList<long>> SessionsAsync(Connection monitor, string tag, CancellationToken cancellationToken);

    protected static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);

    protected static async Task<IReadOnlyList<long>> IdsAsync(Connection monitor, string sql, object parameters, CancellationToken cancellationToken)
    {
        var result = await monitor.ExecuteRawAsync(sql, parameters, cancellationToken);
        return [.. result.Rows.Select(r => Convert.ToInt64(r.Values.First(), CultureInfo.InvariantCulture))];
    }
}

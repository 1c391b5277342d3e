namespace Switchboard;

/// <summary>Explicit registration of the SQLite driver, for trimmed and AOT applications (others resolve <c>sqlite</c> by name).</summary>
public static class SqliteRegistryExtensions
{
    /// <summary>Registers the <c>sqlite</c> driver with <paramref name="registry"/>.</summary>
    /// <returns>The registry.</returns>
    public static ConnectionRegistry AddSqlite(this ConnectionRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.RegisterDriver(new Sqlite.SqliteDriver());
        return registry;
    }
}

namespace Switchboard;

/// <summary>Explicit registration of the PostgreSQL driver, for trimmed and AOT applications (others resolve <c>postgresql</c> by name).</summary>
public static class PostgreSqlRegistryExtensions
{
    /// <summary>Registers the <c>postgresql</c> driver (aliases <c>postgres</c>, <c>pg</c>) with <paramref name="registry"/>.</summary>
    /// <returns>The registry.</returns>
    public static ConnectionRegistry AddPostgreSql(this ConnectionRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.RegisterDriver(new PostgreSql.PostgreSqlDriver());
        return registry;
    }
}

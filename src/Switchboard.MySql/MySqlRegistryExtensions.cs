namespace Switchboard;

/// <summary>Explicit registration of the MySQL and MariaDB drivers, for trimmed and AOT applications (others resolve <c>mysql</c> and <c>mariadb</c> by name).</summary>
public static class MySqlRegistryExtensions
{
    /// <summary>Registers the <c>mysql</c> and <c>mariadb</c> drivers with <paramref name="registry"/>.</summary>
    /// <returns>The registry.</returns>
    public static ConnectionRegistry AddMySql(this ConnectionRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.RegisterDriver(new MySql.MySqlDriver());
        registry.RegisterDriver(new MySql.MariaDbDriver());
        return registry;
    }
}

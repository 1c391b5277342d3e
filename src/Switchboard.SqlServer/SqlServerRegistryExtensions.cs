namespace Switchboard;

/// <summary>Explicit registration of the SQL Server driver, for trimmed and AOT applications (others resolve <c>sqlserver</c> by name).</summary>
/// <remarks>
/// An ODBC driver name (<c>odbc_driver</c>), as ODBC-based configurations carry, is accepted and has no effect: Microsoft.Data.SqlClient speaks
/// TDS to the server directly and needs no ODBC driver.
/// </remarks>
public static class SqlServerRegistryExtensions
{
    /// <summary>Registers the <c>sqlserver</c> driver (alias <c>mssql</c>) with <paramref name="registry"/>.</summary>
    /// <returns>The registry.</returns>
    public static ConnectionRegistry AddSqlServer(this ConnectionRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.RegisterDriver(new SqlServer.SqlServerDriver());
        return registry;
    }
}

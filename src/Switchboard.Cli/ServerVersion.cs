namespace Switchboard.Cli;

/// <summary>Asks a connection's server for its version, with the statement each engine answers.</summary>
internal static class ServerVersion
{
    /// <summary>The statement that returns the version text, or null for an engine the tool does not know.</summary>
    public static string? Statement(string driver) => driver switch
    {
        "sqlite" => "SELECT sqlite_version()",
        "postgresql" => "SELECT version()",
        "mysql" or "mariadb" => "SELECT VERSION()",
        "sqlserver" => "SELECT @@VERSION",
        // PRODUCT_COMPONENT_VERSION is readable by every user; V$VERSION needs a grant.
        "oracle" => "SELECT product || ' ' || version FROM product_component_version WHERE ROWNUM = 1",
        _ => null,
    };

    /// <summary>The version, shortened to its first line and the part before PostgreSQL's build details.</summary>
    /// <exception cref="SwitchboardException">The statement failed.</exception>
    public static async Task<string> ReadAsync(Connection connection, CancellationToken cancellationToken)
    {
        if (Statement(connection.Driver) is not { } sql)
        {
            return "unknown";
        }

        string text;
        using (ConnectionManager.UsingPrimary())
        {
            // The primary's version, not a replica's: outside a transaction a read would otherwise go to a replica.
            text = await connection.ScalarAsync<string>(sql, cancellationToken: cancellationToken).ConfigureAwait(false) ?? "unknown";
        }

        var line = text.Split('\n', 2)[0].Trim();

        // "PostgreSQL 15.14 (Debian 15.14-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc ..." -> before " on ".
        var on = line.IndexOf(" on ", StringComparison.Ordinal);
        return connection.Driver == "postgresql" && on > 0 ? line[..on] : line;
    }
}

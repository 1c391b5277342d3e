namespace Switchboard.Cli;

/// <summary>
/// Refuses a SQLite connection whose file does not exist. Opening it would create an empty database, so a mistyped
/// path would pass a check as healthy, and a statement would run against the wrong (new) file.
/// </summary>
internal static class SqliteGuard
{
    /// <summary>Why the connection must not be opened, or null when it may.</summary>
    public static string? Problem(Connection connection)
    {
        if (connection.Driver != "sqlite")
        {
            return null;
        }

        var database = connection.Config.Database ?? "";
        if (database == ":memory:" || database.Contains("mode=memory", StringComparison.OrdinalIgnoreCase) || File.Exists(database))
        {
            return null;
        }

        return $"Connection '{connection.Name}': the SQLite file '{database}' does not exist, and this tool does not create databases. "
            + $"Check Switchboard:Connections:{connection.Name}:database (a relative path is taken from the configuration file's folder).";
    }

    /// <summary>The first replica that must not be opened (a SQLite file that does not exist) and why, or null when they all may; opening one opens them all.</summary>
    public static (int Index, string Problem)? ReplicaProblem(Connection connection)
    {
        if (connection.Driver != "sqlite")
        {
            return null;
        }

        var replicas = connection.Config.Replicas;
        for (var index = 0; index < replicas.Count; index++)
        {
            // A replica that names no file inherits the primary's, which the check of the primary already guards.
            var database = replicas[index].Database;
            if (string.IsNullOrEmpty(database) || database == ":memory:" || database.Contains("mode=memory", StringComparison.OrdinalIgnoreCase) || File.Exists(database))
            {
                continue;
            }

            return (index, $"Connection '{connection.Name}': the SQLite file '{database}' of replica {index} does not exist, and this tool does not create databases. "
                + $"Check Switchboard:Connections:{connection.Name}:replicas:{index}:database (a relative path is taken from the configuration file's folder).");
        }

        return null;
    }
}

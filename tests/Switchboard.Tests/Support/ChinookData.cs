namespace Switchboard.Tests.Support;

/// <summary>
/// The Chinook scripts kept in the repository (<c>tests/data/chinook</c>, MIT licence beside them), copied next to the
/// test assembly at build time.
/// </summary>
public static class ChinookData
{
    /// <summary>The path of the Chinook script for an engine (<c>Sqlite</c>, <c>PostgreSql</c>, <c>MySql</c>, ...).</summary>
    public static string Script(string engine)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "chinook", $"Chinook_{engine}.sql");
        if (!File.Exists(path))
        {
            // Not a skip: the scripts are part of the repository, so a missing one is a broken build.
            throw new FileNotFoundException($"The Chinook script for {engine} was not copied to the test output; it belongs in tests/data/chinook.", path);
        }

        return path;
    }
}

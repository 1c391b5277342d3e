namespace Switchboard.Tests.Support;

/// <summary>Finds the shared Chinook scripts (../shared/data/chinook beside the checkout).</summary>
public static class SharedData
{
    public static string ChinookScript(string engine)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data", "chinook", $"Chinook_{engine}.sql");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var reason = $"The Chinook script for {engine} was not found in a shared/data/chinook folder above {AppContext.BaseDirectory}.";
        if (TestServers.IsCi)
        {
            Assert.Fail(reason);
        }

        Assert.Skip(reason);
        return "";
    }
}

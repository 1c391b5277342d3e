using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Switchboard.Tests.Support;

/// <summary>
/// A private registry over throwaway SQLite files in a temporary folder, activated for models in the test's flow.
/// Disposing it disposes every pool and deletes the folder.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly IDisposable _activation;

    public TestDatabase(TimeProvider? time = null, bool activate = true)
    {
        Folder = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Logs = new CapturingLoggerProvider();
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        Registry = new ConnectionRegistry(LoggerFactory, time);
        _activation = activate ? Registry.Activate() : new Noop();
    }

    public string Folder { get; }

    public ConnectionRegistry Registry { get; }

    public CapturingLoggerProvider Logs { get; }

    public ILoggerFactory LoggerFactory { get; }

    /// <summary>A path for a database file in the test's folder.</summary>
    public string File(string name) => Path.Combine(Folder, name);

    /// <summary>Configures a SQLite file connection and returns it.</summary>
    public Connection Sqlite(string name, int poolSize = 5, double poolTimeoutSeconds = 5, bool echo = false, string? file = null) =>
        Registry.Configure(name, new Dictionary<string, object?>
        {
            ["driver"] = "sqlite",
            ["database"] = File(file ?? name + ".db"),
            ["pool_size"] = poolSize,
            ["pool_timeout"] = poolTimeoutSeconds,
            ["echo"] = echo,
        });

    public void Dispose()
    {
        _activation.Dispose();
        Registry.DisposeAll();
        LoggerFactory.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still mapped by the OS; the temp folder is cleaned eventually.
        }
    }

    private sealed class Noop : IDisposable
    {
        public void Dispose()
        {
        }
    }
}

/// <summary>A fake clock for pool timing.</summary>
public static class Clock
{
    public static FakeTimeProvider Fake() => new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.Zero };
}

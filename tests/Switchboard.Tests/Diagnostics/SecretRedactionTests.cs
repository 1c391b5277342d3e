using System.Collections;
using System.Data.Common;
using System.Text;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Diagnostics;

/// <summary>
/// Issue 10 item 1 with a driver that repeats the password everywhere it can: its message, its Data, and the exception
/// inside it. Nothing Switchboard throws or logs may carry any four-character part of it; the useful facts stay.
/// </summary>
public class SecretRedactionTests
{
    private const string Secret = "Tr0ub4dor&3xyz";

    [Fact]
    public async Task ConnectFailure_DriverRepeatingThePassword_ShowsNoPartOfIt_SyncAndAsync()
    {
        using var db = new TestDatabase();
        var connection = Configure(db, new EchoingException());

        var sync = Assert.Throws<ConnectionException>(() => connection.Execute("SELECT 1"));
        var async = await Assert.ThrowsAsync<ConnectionException>(() => connection.ExecuteAsync("SELECT 1", cancellationToken: TestContext.Current.CancellationToken));

        foreach (var error in new[] { sync, async })
        {
            AssertNoFragment(Everything(error));
            var inner = Assert.IsAssignableFrom<DbException>(error.InnerException);
            Assert.Equal("28P01", inner.SqlState);
            Assert.Contains(typeof(EchoingException).FullName!, inner.ToString(), StringComparison.Ordinal);
            Assert.Contains("authentication failed for user \"app_***\"", inner.Message, StringComparison.Ordinal);
            Assert.Contains("at ", inner.ToString(), StringComparison.Ordinal);
            Assert.NotNull(inner.InnerException);
            Assert.Contains("stream closed", inner.InnerException!.Message, StringComparison.Ordinal);
        }

        AssertNoFragment(Logged(db.Logs));
    }

    [Fact]
    public void ConnectFailure_DriverQuietAboutThePassword_KeepsItsOwnException()
    {
        using var db = new TestDatabase();
        var quiet = new FakeRefusedException("the server is starting up");
        var connection = Configure(db, quiet);

        var error = Assert.Throws<ConnectionException>(() => connection.Execute("SELECT 1"));

        Assert.Same(quiet, error.InnerException);
    }

    [Fact]
    public async Task BackgroundFill_DriverRepeatingThePassword_LogsNoPartOfIt()
    {
        using var db = new TestDatabase();
        var connection = Configure(db, new EchoingException(), minIdle: 1);

        // The pool is made on first use; from then on it fills min_idle in the background.
        Assert.Throws<ConnectionException>(() => connection.Execute("SELECT 1"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!db.Logs.Entries.Any(e => e.EventId.Id == 1007) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var fill = db.Logs.Entries.First(e => e.EventId.Id == 1007);
        Assert.NotNull(fill.Exception);
        AssertNoFragment(Logged(db.Logs));
    }

    [Fact]
    public void Target_WithThePasswordInTheHostName_IsRedacted()
    {
        using var db = new TestDatabase();
        var connection = Configure(db, new FakeRefusedException("refused"), host: $"db-{Secret}.example");

        var error = Assert.Throws<ConnectionException>(() => connection.Execute("SELECT 1"));

        AssertNoFragment(connection.ToString() + Everything(error));
        Assert.Contains("db-***", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatementFailure_AndEcho_WithThePasswordInTheStatement_ShowNoPartOfIt()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver("stmt-" + Guid.NewGuid().ToString("N")[..6]) { ActsAsServer = true };
        db.Registry.RegisterDriver(driver);
        var connection = db.Registry.Configure("stmt", new ConnectionConfig
        {
            Driver = driver.Name,
            Database = "d",
            Password = Secret,
            Echo = true,
            EchoParameters = true,
        });
        var sql = $"SELECT * FROM \"missing_{Secret}\" WHERE x = @x";

        var sync = Assert.Throws<StatementException>(() => connection.Execute(sql, new { x = Secret }));
        var async = await Assert.ThrowsAsync<StatementException>(() => connection.ExecuteAsync(sql, new { x = Secret }, TestContext.Current.CancellationToken));
        connection.Execute($"SELECT '{Secret}' AS echoed WHERE @x IS NOT NULL", new { x = Secret });

        foreach (var error in new[] { sync, async })
        {
            Assert.Equal("stmt", error.ConnectionName);
            Assert.Contains("missing_***", error.Message, StringComparison.Ordinal);
            AssertNoFragment(Everything(error));
        }

        Assert.Equal(3, db.Logs.Category("Switchboard.Sql").Count());
        AssertNoFragment(Logged(db.Logs));
    }

    private static Connection Configure(TestDatabase db, Exception refusal, int minIdle = 0, string host = "db.internal")
    {
        var driver = new FakeDriver("echo-" + Guid.NewGuid().ToString("N")[..6]) { ActsAsServer = true, Refuse = refusal };
        db.Registry.RegisterDriver(driver);
        return db.Registry.Configure("echo", new ConnectionConfig
        {
            Driver = driver.Name,
            Host = host,
            Database = "d",
            Username = "app_" + Secret,
            Password = Secret,
            MinIdle = minIdle,
            PoolSize = 2,
            IdleTimeout = TimeSpan.FromSeconds(1),
        });
    }

    private static string Everything(Exception exception)
    {
        var text = new StringBuilder(exception.ToString());
        for (var current = exception; current is not null; current = current.InnerException)
        {
            foreach (DictionaryEntry entry in current.Data)
            {
                text.Append('\n').Append(entry.Key).Append('=').Append(entry.Value);
            }
        }

        return text.ToString();
    }

    private static string Logged(CapturingLoggerProvider logs) =>
        string.Join('\n', logs.Entries.Select(e => e.Message + (e.Exception is null ? "" : "\n" + Everything(e.Exception))));

    private static void AssertNoFragment(string text)
    {
        for (var length = 4; length <= Secret.Length; length++)
        {
            for (var start = 0; start + length <= Secret.Length; start++)
            {
                var fragment = Secret.Substring(start, length);
                Assert.False(text.Contains(fragment, StringComparison.Ordinal), $"'{fragment}' of the password appeared in:\n{text}");
            }
        }
    }

    /// <summary>A driver exception as a careless driver might write it: the user name (holding the password) in the message, the password in Data and in the exception inside.</summary>
    private sealed class EchoingException : DbException
    {
        public EchoingException()
            : base($"28P01: password authentication failed for user \"app_{Secret}\"", Thrown())
        {
            Data["Detail"] = $"connection string Password={Secret}";
            Data["Attempt"] = 1;
        }

        public override string SqlState => "28P01";

        private static IOException Thrown()
        {
            try
            {
                throw new IOException($"stream closed after sending {Secret[..6]}");
            }
            catch (IOException exception)
            {
                return exception;
            }
        }
    }
}

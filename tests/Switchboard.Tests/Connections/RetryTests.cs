using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Connections;

/// <summary>
/// The retry key (issue 15 item 3) on the fake driver: what is retried (a checkout, a model read outside a transaction,
/// a whole lambda transaction after a deadlock or serialization failure), what never is (a write, raw SQL outside a
/// lambda transaction, a statement in the middle of a transaction), the deadline, the caller's token, the event and the counter.
/// </summary>
public class RetryTests
{
    private static Connection Configure(TestDatabase db, FakeDriver driver, object? retry, string name = "primary", bool withUsers = true)
    {
        if (db.Registry.Names.Count == 0)
        {
            db.Registry.RegisterDriver(driver);
        }

        var connection = db.Registry.Configure(name, new Dictionary<string, object?>
        {
            ["driver"] = driver.Name,
            ["database"] = "fake",
            ["pool_pre_ping"] = "never",
            ["retry"] = retry,
        });
        return withUsers ? connection.WithUsers() : connection;
    }

    private static Dictionary<string, object?> Quick(int attempts = 3) => new() { ["max_attempts"] = attempts, ["base_delay"] = 0.001, ["max_delay"] = 0.005 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ModelRead_ThatLosesItsConnection_IsRetried_AndTheCallerSeesNoError(bool async)
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Configure(db, driver, Quick());
        connection.Execute("INSERT INTO users (name, status) VALUES ('ann', 'active')");
        var retries = new ConcurrentQueue<ConnectionEventArgs>();
        using var subscription = db.Registry.Events.OnRetry(retries.Enqueue);

        driver.DisconnectNextStatement = true;
        var users = async ? await User.Where(u => u.Status == "active").AllAsync(TestContext.Current.CancellationToken) : User.Where(u => u.Status == "active").All();

        Assert.Equal("ann", Assert.Single(users).Name);
        var retry = Assert.Single(retries);
        Assert.Equal(ConnectionEventKind.Retry, retry.Kind);
        Assert.Equal("transient", retry.Reason);
        Assert.Equal(1, retry.Attempt);
        Assert.Equal("primary", retry.ConnectionName);
    }

    [Fact]
    public void ModelRead_WithoutRetry_FailsAsBefore()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        Configure(db, driver, retry: null);

        driver.DisconnectNextStatement = true;

        Assert.True(Assert.Throws<ConnectionException>(() => User.All()).IsTransient);
    }

    [Fact]
    public void Write_OutsideALambdaTransaction_IsNeverRetried()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Configure(db, driver, Quick());
        var retries = 0;
        using var subscription = db.Registry.Events.OnRetry(_ => Interlocked.Increment(ref retries));

        driver.DisconnectNextStatement = true;
        Assert.Throws<ConnectionException>(() => new User { Name = "bo", Status = "new" }.Save());
        driver.DisconnectNextStatement = true;
        Assert.Throws<ConnectionException>(() => connection.Execute("INSERT INTO users (name, status) VALUES ('cy', 'new')"));

        Assert.Equal(0, retries);
        Assert.Equal(0, connection.Scalar<long>("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public void RawSql_IsNotRetried_EvenWhenItOnlyReads()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Configure(db, driver, Quick());

        driver.DisconnectNextStatement = true;

        Assert.Throws<ConnectionException>(() => connection.Scalar<long>("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public void ModelRead_InTheMiddleOfATransaction_IsNeverRetried()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Configure(db, driver, Quick());
        var retries = 0;
        using var subscription = db.Registry.Events.OnRetry(_ => Interlocked.Increment(ref retries));

        using (var transaction = new Transaction(connection))
        {
            connection.Execute("INSERT INTO users (name, status) VALUES ('dee', 'new')");
            driver.DisconnectNextStatement = true;
            Assert.Throws<ConnectionException>(() => User.All());
        }

        Assert.Equal(0, retries);
    }

    [Theory]
    [InlineData(false, "40P01", "deadlock")]
    [InlineData(true, "40P01", "deadlock")]
    [InlineData(false, "40001", "serialization_failure")]
    [InlineData(true, "40001", "serialization_failure")]
    public async Task LambdaTransaction_ThatLosesAConflict_RunsAgainFromTheStart(bool async, string sqlState, string reason)
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Configure(db, driver, Quick());
        var reasons = new ConcurrentQueue<string?>();
        using var subscription = db.Registry.Events.OnRetry(e => reasons.Enqueue(e.Reason));
        var conflicts = 1;
        driver.StatementFails = sql => sql.StartsWith("UPDATE", StringComparison.Ordinal) && Interlocked.Decrement(ref conflicts) >= 0
            ? new FakeServerException("conflict with a concurrent transaction", sqlState)
            : null;
        var runs = 0;

        if (async)
        {
            await connection.TransactionAsync(async () =>
            {
                runs++;
                await connection.ExecuteAsync("INSERT INTO users (name, status) VALUES ('eve', 'new')");
                await connection.ExecuteAsync("UPDATE users SET status = 'done'");
            }, cancellationToken: TestContext.Current.CancellationToken);
        }
        else
        {
            connection.Transaction(() =>
            {
                runs++;
                connection.Execute("INSERT INTO users (name, status) VALUES ('eve', 'new')");
                connection.Execute("UPDATE users SET status = 'done'");
            });
        }

        Assert.Equal(2, runs);
        Assert.Equal(reason, Assert.Single(reasons));

        // The first run's insert was rolled back with it: one row, written by the second run.
        Assert.Equal(1, connection.Scalar<long>("SELECT COUNT(*) FROM users WHERE status = 'done'"));
        Assert.Equal(1, connection.Scalar<long>("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public void LambdaTransaction_ThatFailsOtherwise_IsNotRetried()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Configure(db, driver, Quick());
        driver.StatementFails = sql => sql.StartsWith("UPDATE", StringComparison.Ordinal) ? new FakeServerException("duplicate key", "23505") : null;
        var runs = 0;

        var error = Assert.Throws<StatementException>(() => connection.Transaction(() =>
        {
            runs++;
            connection.Execute("UPDATE users SET status = 'x'");
        }));

        Assert.Equal(StatementErrorKind.UniqueViolation, error.Kind);
        Assert.Equal(1, runs);
    }

    [Fact]
    public void NestedLambdaTransaction_IsNeverRetriedOnItsOwn_TheOutermostIs()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Configure(db, driver, Quick());
        driver.StatementFails = sql => sql.StartsWith("UPDATE", StringComparison.Ordinal) ? new FakeServerException("deadlock detected", "40P01") : null;
        var innerRuns = 0;

        using (var outer = new Transaction(connection))
        {
            connection.Execute("INSERT INTO users (name, status) VALUES ('fay', 'new')");
            Assert.Throws<StatementException>(() => connection.Transaction(() =>
            {
                innerRuns++;
                connection.Execute("UPDATE users SET status = 'x'");
            }));
        }

        Assert.Equal(1, innerRuns);
    }

    [Fact]
    public void LambdaTransaction_StillConflictingAfterMaxAttempts_ThrowsTheLastFailure()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        var connection = Configure(db, driver, Quick(attempts: 4));
        driver.StatementFails = sql => sql.StartsWith("UPDATE", StringComparison.Ordinal) ? new FakeServerException("deadlock detected", "40P01") : null;
        var runs = 0;

        var error = Assert.Throws<StatementException>(() => connection.Transaction(() =>
        {
            runs++;
            connection.Execute("UPDATE users SET status = 'x'");
        }));

        Assert.Equal(StatementErrorKind.Deadlock, error.Kind);
        Assert.Equal(4, runs);
    }

    [Fact]
    public void Checkout_ThatCannotConnect_IsRetried_EvenForAWrite()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        Configure(db, driver, Quick());
        var connection = Configure(db, driver, Quick(), name: "writer", withUsers: false);
        var refusals = 2;
        driver.BeforeOpen = _ => Interlocked.Decrement(ref refusals) >= 0 ? throw new FakeDisconnectException("the database system is starting up") : Task.CompletedTask;
        var reasons = new ConcurrentQueue<string?>();
        using var subscription = db.Registry.Events.OnRetry(e => reasons.Enqueue(e.Reason));

        connection.Execute("INSERT INTO users (name, status) VALUES ('gus', 'new')");

        Assert.Equal(["connect", "connect"], reasons);
        Assert.Equal(1, connection.Scalar<long>("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public void NoRetry_WhoseWaitWouldEndPastTheDeadline()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        Configure(db, driver, new Dictionary<string, object?> { ["max_attempts"] = 10, ["base_delay"] = 2, ["max_delay"] = 2, ["deadline"] = 0.5 });
        var retries = 0;
        using var subscription = db.Registry.Events.OnRetry(_ => Interlocked.Increment(ref retries));

        driver.DisconnectNextStatement = true;

        // The first wait would be at least 1 s (2 s less up to a half): past the 0.5 s deadline, so none is made.
        Assert.Throws<ConnectionException>(() => User.All());
        Assert.Equal(0, retries);
    }

    [Fact]
    public async Task CallersToken_EndsTheWaitBeforeARetry()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        Configure(db, driver, new Dictionary<string, object?> { ["max_attempts"] = 3, ["base_delay"] = 60, ["max_delay"] = 60, ["deadline"] = 600 });
        using var cancel = new CancellationTokenSource();
        using var subscription = db.Registry.Events.OnRetry(_ => cancel.Cancel());
        var opens = driver.Opens;

        driver.DisconnectNextStatement = true;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => User.AllAsync(cancel.Token));
        Assert.Equal(opens, driver.Opens);
    }

    [Fact]
    public void EachRetry_CountsOnTheSwitchboardMeter_WithItsReason()
    {
        using var db = new TestDatabase();
        var driver = new FakeDriver();
        Configure(db, driver, Quick(), name: "primary");
        var counted = new ConcurrentQueue<(long Value, string? Pool, string? Reason)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SwitchboardDiagnostics.Name && instrument.Name == SwitchboardDiagnostics.Retries)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? pool = null, reason = null;
            foreach (var tag in tags)
            {
                pool = tag.Key == SwitchboardDiagnostics.PoolNameTag ? (string?)tag.Value : pool;
                reason = tag.Key == SwitchboardDiagnostics.RetryReasonTag ? (string?)tag.Value : reason;
            }

            counted.Enqueue((value, pool, reason));
        });
        listener.Start();

        driver.DisconnectNextStatement = true;
        User.All();

        Assert.Contains((1L, "primary", "transient"), counted);
    }

    [Theory]
    [InlineData("max_attempts", 0, "max_attempts must be between 1")]
    [InlineData("max_attempts", 101, "max_attempts must be between 1")]
    [InlineData("base_delay", -1, "base_delay must be zero or more")]
    [InlineData("max_delay", 0.01, "max_delay (0.01 s) must be at least base_delay")]
    [InlineData("deadline", 0, "deadline must be more than zero")]
    public void BadRetrySettings_AreRefusedWhenConfigured_NamingTheKey(string key, double value, string expected)
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("r", new Dictionary<string, object?>
        {
            ["driver"] = "sqlite",
            ["database"] = ":memory:",
            ["retry"] = new Dictionary<string, object?> { [key] = value },
        }));

        Assert.Equal("retry", error.Key);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblemOfARetrySetting_IsReportedAtOnce()
    {
        using var registry = new ConnectionRegistry();

        var error = Assert.Throws<ConfigurationException>(() => registry.Configure("r", new ConnectionConfig
        {
            Driver = "sqlite",
            Database = ":memory:",
            Retry = new RetryOptions { MaxAttempts = 0, Deadline = TimeSpan.Zero },
        }));

        Assert.Contains("max_attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("deadline", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("max_attemps")]
    [InlineData("delay")]
    public void AnUnknownRetryKey_IsRefused_NamingTheKnownOnes(string key)
    {
        var error = Assert.Throws<ConfigurationException>(() => ConnectionConfig.FromDictionary(new Dictionary<string, object?>
        {
            ["retry"] = new Dictionary<string, object?> { [key] = 1 },
        }));

        Assert.Contains($"unknown key '{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("max_attempts, base_delay, max_delay, deadline", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retry_ReadsFromTheDictionary_TheUrl_AndTrue()
    {
        var fromDictionary = ConnectionConfig.FromDictionary(new Dictionary<string, object?>
        {
            ["retry"] = new Dictionary<string, object?> { ["max_attempts"] = 5, ["base_delay"] = 0.2, ["max_delay"] = "3", ["deadline"] = 20 },
        }).Retry!;
        var fromUrl = ConnectionConfig.Parse("postgresql://u@h/db?retry=max_attempts:4,deadline:7.5").Retry!;
        var fromTrue = ConnectionConfig.FromDictionary(new Dictionary<string, object?> { ["retry"] = true }).Retry!;

        Assert.Equal((5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(20)),
            (fromDictionary.MaxAttempts, fromDictionary.BaseDelay, fromDictionary.MaxDelay, fromDictionary.Deadline));
        Assert.Equal((4, TimeSpan.FromSeconds(7.5)), (fromUrl.MaxAttempts, fromUrl.Deadline));
        Assert.Equal(new RetryOptions().ToString(), fromTrue.ToString());
        Assert.Null(ConnectionConfig.FromDictionary(new Dictionary<string, object?> { ["retry"] = false }).Retry);
    }

    [Fact]
    public void ConfiguredRetry_IsACopy_LaterChangesToTheCallersObjectDoNotReachIt()
    {
        using var registry = new ConnectionRegistry();
        var options = new RetryOptions { MaxAttempts = 5 };
        var connection = registry.Configure("r", new ConnectionConfig { Driver = "sqlite", Database = ":memory:", Retry = options });

        options.MaxAttempts = 50;

        Assert.Equal(5, connection.Config.Retry!.MaxAttempts);
    }

    [Theory]
    [InlineData(0, 0.0, 100)]
    [InlineData(0, 1.0, 50)]
    [InlineData(1, 0.0, 200)]
    [InlineData(3, 0.0, 800)]
    [InlineData(10, 0.0, 2000)]
    [InlineData(10, 1.0, 1000)]
    public void TheWaitBeforeARetry_DoublesFromBaseDelay_UpToMaxDelay_LessUpToAHalf(int retry, double random, double milliseconds)
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(2) };

        Assert.Equal(milliseconds, Resilience.RetryPipeline.DelayBefore(options, retry, random).TotalMilliseconds, precision: 6);
    }
}

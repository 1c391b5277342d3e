using System.Data;
using Microsoft.Extensions.Logging;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers.Live;

/// <summary>
/// What every server engine must do against a real server, written once: each engine's class supplies its server
/// variable, its tables and the few statements that differ. Without the server, each test is skipped (failed under CI).
/// </summary>
public abstract class ProviderLiveTests : IDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private ConnectionRegistry? _registry;
    private IDisposable? _activation;

    protected ProviderLiveTests()
    {
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
    }

    protected CapturingLoggerProvider Logs { get; } = new();

    /// <summary>The environment variable holding the server's URL.</summary>
    protected abstract string ServerVariable { get; }

    /// <summary>The driver name configured (it may differ from the URL's scheme).</summary>
    protected abstract string DriverName { get; }

    /// <summary>Drops and creates <c>sb_provider_gadgets</c> and <c>sb_provider_types</c> with the engine's natural types.</summary>
    protected abstract IReadOnlyList<string> Schema { get; }

    /// <summary>A query returning the isolation level of the running transaction, in words (<c>repeatable read</c>), or no row while the server does not list it yet.</summary>
    protected abstract string CurrentIsolationSql { get; }

    /// <summary>A statement, run inside a transaction, after which this session gives up waiting for a row lock within a second or so.</summary>
    protected abstract string ShortLockWaitSql { get; }

    /// <summary>A query returning the server's id for this session.</summary>
    protected abstract string SessionIdSql { get; }

    /// <summary>A query counting the sessions with id <c>@id</c>.</summary>
    protected abstract string SessionCountSql { get; }

    /// <summary>Whether <see cref="QueryResult.LastInsertId"/> reports the key of a raw INSERT.</summary>
    protected abstract bool ReportsLastInsertId { get; }

    /// <summary>A statement that ends the session <paramref name="sessionId"/> from another one.</summary>
    protected abstract string KillSql(long sessionId);

    [Fact]
    public void Connect_ReportsTheConfiguredDriverAndRunsAStatement()
    {
        var connection = Connect();

        Assert.Equal(DriverName, connection.Driver);
        Assert.Equal(1, connection.Scalar<int>("SELECT 1"));
    }

    [Fact]
    public void Save_InsertsReadingTheGeneratedKey_ThenUpdatesOnlyTheChangedColumn()
    {
        var connection = Connect();
        var first = new Gadget { Name = "Lamp", Status = "new", Price = 19.99m, Rank = 1 };
        var second = new Gadget { Name = "Desk", Status = "new", Price = 250m, Rank = 2 };

        first.Save();
        second.Save();
        var loaded = Gadget.Find(first.Id);
        loaded.Name = "Floor lamp";
        loaded.Save();

        Assert.True(first.Id > 0);
        Assert.Equal(first.Id + 1, second.Id);
        Assert.Equal(19.99m, loaded.Price);
        var update = Assert.Single(Statements(), s => s.Contains("UPDATE", StringComparison.Ordinal));
        Assert.Contains(connection.Dialect.QuoteIdentifier("name") + " = ", update, StringComparison.Ordinal);
        Assert.DoesNotContain(connection.Dialect.QuoteIdentifier("status"), update, StringComparison.Ordinal);
        Assert.Equal("Floor lamp", Gadget.Find(first.Id).Name);
        Assert.Equal("Desk", Gadget.Find(second.Id).Name);
    }

    [Fact]
    public async Task Query_WithWhereOrderByLimitOffset_ReturnsThePage()
    {
        Connect();
        for (var i = 1; i <= 20; i++)
        {
            await new Gadget { Name = $"g{i:00}", Status = i % 2 == 0 ? "even" : "odd", Price = i, Rank = i }.SaveAsync(TestContext.Current.CancellationToken);
        }

        var page = await Gadget.Where(g => g.Status == "even").OrderByDescending(g => g.Rank).Limit(3).Offset(2).AllAsync(TestContext.Current.CancellationToken);

        Assert.Equal([16, 14, 12], page.Select(g => g.Rank));
        Assert.Equal(10, Gadget.Where(g => g.Status == "even").Count());
        Assert.Equal(2, Gadget.Where(g => g.Status == "even").Limit(3).Offset(8).Count());
        Assert.Equal(["g19", "g20"], Gadget.OrderBy(g => g.Name).Offset(18).All().Select(g => g.Name));
        Assert.Equal(["g01", "g02"], Gadget.OrderBy(g => g.Name).Limit(2).All().Select(g => g.Name));
        Assert.Equal(3, Gadget.Where(new { status = "odd" }).Where(g => g.Price > 14m).Count());
    }

    [Fact]
    public void Like_WithWildcardsBackslashOrBangInTheText_MatchesThemLiterally()
    {
        Connect();
        foreach (var name in new[] { "100%", "1000", "a_b", "axb", "back\\slash", "backslash", "bang!", "bang" })
        {
            new Gadget { Name = name, Status = "like" }.Save();
        }

        Assert.Equal(["100%"], Names(Gadget.Where(g => g.Name.Contains("0%"))));
        Assert.Equal(["a_b"], Names(Gadget.Where(g => g.Name.StartsWith("a_"))));
#pragma warning disable CA1847 // the string overload is the one translated to LIKE
        Assert.Equal(["back\\slash"], Names(Gadget.Where(g => g.Name.Contains("\\"))));
#pragma warning restore CA1847
        Assert.Equal(["bang!"], Names(Gadget.Where(g => g.Name.EndsWith("g!"))));
    }

    [Fact]
    public void Transaction_WithARolledBackSavepoint_KeepsTheOuterWork()
    {
        var connection = Connect();

        using (var outer = new Transaction(connection))
        {
            new Gadget { Name = "kept", Status = "tx" }.Save();
            using (var inner = new Transaction(connection))
            {
                new Gadget { Name = "undone", Status = "tx" }.Save();
                inner.Rollback();
            }

            connection.Transaction(() => new Gadget { Name = "nested kept", Status = "tx" }.Save());
            outer.Commit();
        }

        using (new Transaction(connection))
        {
            new Gadget { Name = "dropped with its transaction", Status = "tx" }.Save();
        }

        Assert.Equal(["kept", "nested kept"], Names(Gadget.Where(g => g.Status == "tx").OrderBy(g => g.Id)));
    }

    [Theory]
    [InlineData(IsolationLevel.Serializable, "serializable")]
    [InlineData(IsolationLevel.RepeatableRead, "repeatable read")]
    [InlineData(IsolationLevel.ReadCommitted, "read committed")]
    public void Transaction_AtAnIsolationLevel_RunsAtThatLevel(IsolationLevel level, string expected)
    {
        var connection = Connect();

        var seen = connection.Transaction(
            () =>
            {
                // InnoDB lists a transaction in information_schema once it writes, and refreshes that list every 0.1 s.
                new Gadget { Name = "isolated", Status = "tx" }.Save();
                var level = connection.Scalar<string>(CurrentIsolationSql);
                for (var attempt = 0; level is null && attempt < 20; attempt++)
                {
                    Thread.Sleep(100);
                    level = connection.Scalar<string>(CurrentIsolationSql);
                }

                return level;
            },
            level);

        Assert.Equal(expected, seen?.Replace('-', ' ').ToLowerInvariant());
        Assert.Throws<TransactionException>(() => new Transaction(connection, IsolationLevel.Snapshot));
    }

    [Fact]
    public void ExecuteRaw_ReturnsRowsAffectedRowsAndTheInsertedKey()
    {
        var connection = Connect();

        var insert = connection.ExecuteRaw("INSERT INTO sb_provider_gadgets (name, status, price, rank) VALUES (@name, @status, 2.5, 3)", new { name = "raw", status = "raw" });
        connection.ExecuteRaw("INSERT INTO sb_provider_gadgets (name, status, price, rank) VALUES (@name, @status, 4.5, 5)", new { name = "raw 2", status = "raw" });
        var update = connection.ExecuteRaw("UPDATE sb_provider_gadgets SET price = price + 1 WHERE status = @status", new { status = "raw" });
        var select = connection.ExecuteRaw("SELECT id, name, price FROM sb_provider_gadgets WHERE status = @status ORDER BY id", new Dictionary<string, object?> { ["status"] = "raw" });

        Assert.Equal(1, insert.AffectedRows);
        Assert.Equal(ReportsLastInsertId ? Gadget.Where(g => g.Name == "raw").First().Id : null, insert.LastInsertId);
        Assert.Equal(2, update.AffectedRows);
        Assert.Equal(0, select.AffectedRows);
        Assert.Equal(["id", "name", "price"], select.Columns);
        Assert.Equal(2, select.Rows.Count);
        Assert.Equal("raw 2", select.Rows[1]["NAME"]);
        Assert.Equal(5.5m, Convert.ToDecimal(select.Rows[1]["price"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Types_RoundTripThroughSaveAndFind_WithValuesAndWithNulls()
    {
        Connect();
        var full = TypeSample.Full();
        var nulls = new TypeSample { Label = "nulls", Payload = [1], CreatedAt = new DateTime(2026, 1, 1), HappenedAt = DateTimeOffset.UnixEpoch, Day = DateOnly.MinValue.AddYears(2000), Mood = Mood.Calm };

        full.Save();
        nulls.Save();

        AssertSameValues(full, TypeSample.Find(full.Id));
        AssertSameValues(nulls, TypeSample.Find(nulls.Id));
    }

    [Fact]
    public void Types_BindAsParametersInWhere()
    {
        Connect();
        var full = TypeSample.Full();
        full.Save();
        new TypeSample { Label = "other", Payload = [9], Day = new DateOnly(2001, 1, 1), CreatedAt = new DateTime(2001, 1, 1), HappenedAt = DateTimeOffset.UnixEpoch }.Save();

        Assert.Equal(full.Id, TypeSample.Where(t => t.Token == full.Token).First().Id);
        Assert.Equal(full.Id, TypeSample.Where(t => t.Day == full.Day && t.Mood == Mood.Grumpy && t.Flag).First().Id);
        Assert.Equal(full.Id, TypeSample.Where(t => t.HappenedAt == full.HappenedAt && t.CreatedAt == full.CreatedAt).First().Id);
        Assert.Equal(full.Id, TypeSample.Where(t => t.MaybeMood == Mood.Cheerful && t.MaybeToken != null).First().Id);
        Assert.Equal(full.Id, TypeSample.Where(t => t.Label == full.Label).First().Id);
    }

    [Fact]
    public void LockWait_GivingUp_IsTransient()
    {
        var connection = Connect();
        var other = Connect("other");
        var gadget = new Gadget { Name = "locked", Status = "lock" };
        gadget.Save();

        using var holder = new Transaction(connection);
        connection.Execute("UPDATE sb_provider_gadgets SET rank = 1 WHERE id = @id", new { id = gadget.Id });
        var error = Assert.ThrowsAny<SwitchboardException>(() => other.Transaction(() =>
        {
            other.Execute(ShortLockWaitSql);
            other.Execute("UPDATE sb_provider_gadgets SET rank = 2 WHERE id = @id", new { id = gadget.Id });
        }));

        Assert.True(error.IsTransient, error.Message);
        Assert.IsNotType<ConnectionException>(error);
    }

    [Fact]
    public async Task Deadlock_BetweenTwoTransactions_FailsOneOfThemAsTransient()
    {
        var connection = Connect();
        var other = Connect("other");
        var first = new Gadget { Name = "first", Status = "deadlock" };
        var second = new Gadget { Name = "second", Status = "deadlock" };
        first.Save();
        second.Save();
        using var bothLocked = new Barrier(2);

        // Each flow locks one row, waits until the other has locked its row, then asks for the other's row.
        Task<SwitchboardException?> LockInOrder(Connection on, long lockFirst, long lockThen) => Task.Run<SwitchboardException?>(() =>
        {
            try
            {
                on.Transaction(() =>
                {
                    on.Execute("UPDATE sb_provider_gadgets SET rank = rank + 1 WHERE id = @id", new { id = lockFirst });
                    bothLocked.SignalAndWait(TimeSpan.FromSeconds(10));
                    on.Execute("UPDATE sb_provider_gadgets SET rank = rank + 1 WHERE id = @id", new { id = lockThen });
                });
                return null;
            }
            catch (SwitchboardException exception)
            {
                return exception;
            }
        });

        var outcomes = await Task.WhenAll(LockInOrder(connection, first.Id, second.Id), LockInOrder(other, second.Id, first.Id));

        var victim = Assert.IsType<SwitchboardException>(Assert.Single(outcomes, o => o is not null));
        Assert.True(victim.IsTransient, victim.Message);
        Assert.Contains("deadlock", victim.InnerException?.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, Gadget.Where(g => g.Status == "deadlock").All().Sum(g => g.Rank));
    }

    [Fact]
    public void KilledSession_IsALostConnection_AndTheNextStatementGetsANewOne()
    {
        var connection = Connect(poolSize: 1);
        var killer = Connect("killer");
        var victim = connection.Scalar<long>(SessionIdSql);

        killer.Execute(KillSql(victim));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (killer.Scalar<long>(SessionCountSql, new { id = victim }) > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        var error = Assert.ThrowsAny<SwitchboardException>(() => connection.Scalar<long>(SessionIdSql));

        Assert.IsType<ConnectionException>(error);
        Assert.True(error.IsTransient);
        Assert.NotEqual(victim, connection.Scalar<long>(SessionIdSql));
    }

    public void Dispose()
    {
        _activation?.Dispose();
        _registry?.DisposeAll();
        _loggerFactory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Configures a connection to the engine's test server (skipping without one); the first also creates the tables.</summary>
    protected Connection Connect(string name = "live", int poolSize = 3)
    {
        var url = TestServers.Require(ServerVariable);
        _registry ??= new ConnectionRegistry(_loggerFactory);
        _activation ??= _registry.Activate();
        var config = ConnectionConfig.Parse(url);
        config.Driver = DriverName;
        config.PoolSize = poolSize;
        config.PoolTimeout = TimeSpan.FromSeconds(10);
        config.Echo = true;
        var connection = _registry.Configure(name, config);
        if (name == "live")
        {
            foreach (var statement in Schema)
            {
                connection.Execute(statement);
            }
        }

        return connection;
    }

    protected IEnumerable<string> Statements() => Logs.Category("Switchboard.Sql").Select(e => e.Message);

    private static List<string> Names(Query<Gadget> query) => [.. query.OrderBy(g => g.Name).All().Select(g => g.Name)];

    private static void AssertSameValues(TypeSample expected, TypeSample actual)
    {
        foreach (var property in typeof(TypeSample).GetProperties())
        {
            var (want, got) = (property.GetValue(expected), property.GetValue(actual));
            var same = want is byte[] bytes ? got is byte[] other && bytes.AsSpan().SequenceEqual(other) : Equals(want, got);
            Assert.True(same, $"{property.Name}: saved {Show(want)}, read back {Show(got)}");
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Convert.ToHexString(bytes),
        DateTime time => time.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + " " + time.Kind,
        DateTimeOffset time => time.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        _ => $"{value} ({value.GetType().Name})",
    };
}

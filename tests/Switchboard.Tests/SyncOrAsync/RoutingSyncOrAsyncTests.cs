using Switchboard.Tests.Support;

namespace Switchboard.Tests.SyncOrAsync;

/// <summary>
/// Read/write routing does not depend on the form an operation is called in: reads go to the replica, and a write in
/// either form sends the flow's next reads to the primary (read-your-writes), though an async write's own flow ends
/// before the caller's next read. On SQLite files, the "replica" holds other rows, so each answer shows where it came from.
/// </summary>
public sealed class RoutingSyncOrAsyncTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [SyncOrAsyncData]
    public async Task Reads_InEitherForm_GoToTheReplica(SyncOrAsync mode)
    {
        using var db = new TestDatabase(Clock.Fake());
        var primary = Pair(db, readYourWrites: "off");
        var id = 1L;
        var sql = "SELECT name FROM users ORDER BY id LIMIT 1";

        string?[] answers =
        [
            (await Run(mode, () => User.All(), ct => User.AllAsync(ct))).Single().Name,
            (await Run(mode, () => User.First(), ct => User.FirstAsync(ct))).Name,
            (await Run(mode, () => User.Find(id), ct => User.FindAsync(id, ct))).Name,
            (await Run(mode, () => User.Where(u => u.Id > 0).Pluck(u => u.Name), ct => User.Where(u => u.Id > 0).PluckAsync(u => u.Name, ct))).Single(),
            (await Run(mode, () => User.Where(u => u.Id > 0).Max(u => u.Age), ct => User.Where(u => u.Id > 0).MaxAsync(u => u.Age, ct))) == 7 ? "on-replica" : "on-primary",
            await Run(mode, () => primary.Scalar<string>(sql), ct => primary.ScalarAsync<string>(sql, cancellationToken: ct)),
            (await Run(mode, () => primary.ExecuteRaw(sql), ct => primary.ExecuteRawAsync(sql, cancellationToken: ct))).Scalar<string>(),
        ];

        Assert.All(answers, a => Assert.Equal("on-replica", a));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task AWrite_InEitherForm_SendsTheFlowsNextReadsToThePrimary(SyncOrAsync mode)
    {
        var failures = new List<string>();
        foreach (var (name, sync, async) in Writes())
        {
            // Each write in a flow of its own, so that no write remembered by an earlier one decides the route.
            var (before, after) = await Task.Run(
                async () =>
                {
                    using var db = new TestDatabase(Clock.Fake());
                    var primary = Pair(db);
                    var before = Where(primary);
                    await Run(mode, () => { sync(primary); return true; }, async ct => { await async(primary, ct); return true; });
                    return (before, Where(primary));
                },
                Cancel);

            if ((before, after) != ("on-replica", "on-primary"))
            {
                failures.Add($"{name}: read {before} before the write and {after} after it");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static IEnumerable<(string Name, Action<Connection> Sync, Func<Connection, CancellationToken, Task> Async)> Writes()
    {
        const string insert = "INSERT INTO users (name, status) VALUES ('written', 'x')";
        yield return ("Execute", c => c.Execute(insert), (c, ct) => c.ExecuteAsync(insert, cancellationToken: ct));
        yield return ("ExecuteRaw", c => c.ExecuteRaw(insert), (c, ct) => c.ExecuteRawAsync(insert, cancellationToken: ct));
        yield return ("Scalar", c => c.Scalar<long>(insert + " RETURNING id"), (c, ct) => c.ScalarAsync<long>(insert + " RETURNING id", cancellationToken: ct));
        yield return ("Save", _ => new User { Name = "saved", Status = "x" }.Save(), (_, ct) => new User { Name = "saved", Status = "x" }.SaveAsync(ct));
        yield return ("InsertAll", _ => User.InsertAll([new User { Name = "bulk", Status = "x" }]), (_, ct) => User.InsertAllAsync([new User { Name = "bulk", Status = "x" }], ct));
        yield return ("UpdateAll", _ => User.Where(u => u.Age >= 0).UpdateAll(new { status = "y" }), (_, ct) => User.Where(u => u.Age >= 0).UpdateAllAsync(new { status = "y" }, ct));
        yield return ("DeleteAll", _ => User.Where(u => u.Age > 99).DeleteAll(), (_, ct) => User.Where(u => u.Age > 99).DeleteAllAsync(ct));
        yield return ("Transaction", c => c.Transaction(() => c.Execute(insert)), (c, ct) => c.TransactionAsync(() => c.ExecuteAsync(insert, cancellationToken: ct), cancellationToken: ct));
        yield return ("Transaction.Commit", c => { using var tx = c.BeginTransaction(); tx.Execute(insert); tx.Commit(); }, async (c, ct) => { await using var tx = c.BeginTransaction(); await tx.ExecuteAsync(insert, cancellationToken: ct); await tx.CommitAsync(ct); });
    }

    /// <summary>A primary with one replica, each a SQLite file with one row naming it (the replica's with age 7).</summary>
    private static Connection Pair(TestDatabase db, object? readYourWrites = null)
    {
        Seed(db, db.File("replica.db"), "on-replica", age: 7);
        Seed(db, db.File("primary.db"), "on-primary", age: 1);
        var settings = new Dictionary<string, object?>
        {
            ["driver"] = "sqlite",
            ["database"] = db.File("primary.db"),
            ["sticky_window"] = 2,
            ["replicas"] = new object[] { new Dictionary<string, object?> { ["database"] = db.File("replica.db") } },
        };
        if (readYourWrites is not null)
        {
            settings["read_your_writes"] = readYourWrites;
        }

        var primary = db.Registry.Configure("primary", settings);
        db.Registry.DefaultConnectionName = "primary";
        return primary;
    }

    private static void Seed(TestDatabase db, string file, string row, int age)
    {
        var seed = db.Registry.Configure("seed", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = file });
        seed.WithUsers().Execute("INSERT INTO users (name, status, age) VALUES (@row, 'x', @age)", new { row, age });
        db.Registry.Dispose("seed");
    }

    private static string Where(Connection connection) => connection.Scalar<string>("SELECT name FROM users ORDER BY id LIMIT 1")!;

    private static async Task<T> Run<T>(SyncOrAsync mode, Func<T> sync, Func<CancellationToken, Task<T>> async) =>
        mode == SyncOrAsync.Sync ? sync() : await async(Cancel);
}

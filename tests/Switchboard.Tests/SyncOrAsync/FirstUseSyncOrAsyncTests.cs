using Switchboard.Tests.Support;

namespace Switchboard.Tests.SyncOrAsync;

/// <summary>
/// The first operation of a model on a connection reads the model's table from the catalog (<c>naming: auto</c>). That
/// read belongs to the operation: an async operation must not block in the driver's sync API for it, nor a sync one
/// wait on the async API. Each operation here is the model's first on a connection of its own.
/// </summary>
public sealed class FirstUseSyncOrAsyncTests : SyncOrAsyncTestBase
{
    private int _connections;

    [Theory]
    [SyncOrAsyncData]
    public async Task FirstUseOfAModelOnAConnection_ReadsItsCatalogInTheCallersForm(SyncOrAsync mode)
    {
        var failures = new List<string>();
        foreach (var (name, sync, async) in Operations())
        {
            var connection = Fresh();
            var mark = Driver.Calls.Count;
            try
            {
                using (User.UsingConnection(connection.Name))
                {
                    await Run(mode, () => sync(connection.Name), ct => async(connection.Name, ct));
                }
            }
            catch (Xunit.Sdk.XunitException failure)
            {
                failures.Add($"{name}: {failure.Message}");
                continue;
            }

            Assert.NotEmpty(Driver.Calls.Skip(mark));
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>A new connection (so a new mapping cache) on a new file with the users table, created out of band, and a row in it.</summary>
    private Connection Fresh()
    {
        var name = "fresh" + Interlocked.Increment(ref _connections);
        using (var side = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Db.File(name + ".db")};Pooling=False"))
        {
            side.Open();
            using var command = side.CreateCommand();
            command.CommandText = Schema.Users + "; INSERT INTO users (name, status, age) VALUES ('ann', 'active', 30)";
            command.ExecuteNonQuery();
        }

        return Configure(name);
    }

    private static IEnumerable<(string Name, Func<string, object?> Sync, Func<string, CancellationToken, Task> Async)> Operations()
    {
        var id = 1L;
        yield return ("All", _ => User.All(), (_, ct) => User.AllAsync(ct));
        yield return ("Count", _ => User.Count(), (_, ct) => User.CountAsync(ct));
        yield return ("Exists", _ => User.Exists(), (_, ct) => User.ExistsAsync(ct));
        yield return ("Find", _ => User.Find(id), (_, ct) => User.FindAsync(id, ct));
        yield return ("FindOrDefault", _ => User.FindOrDefault(id), (_, ct) => User.FindOrDefaultAsync(id, ct));
        yield return ("Where.Find", _ => User.Where(u => u.Age > 0).Find(id), (_, ct) => User.Where(u => u.Age > 0).FindAsync(id, ct));
        yield return ("First", _ => User.First(), (_, ct) => User.FirstAsync(ct));
        yield return ("FirstOrDefault", _ => User.FirstOrDefault(), (_, ct) => User.FirstOrDefaultAsync(ct));
        yield return ("Pluck", _ => User.Where(u => u.Age > 0).Pluck(u => u.Name), (_, ct) => User.Where(u => u.Age > 0).PluckAsync(u => u.Name, ct));
        yield return ("Sum", _ => User.Where(u => u.Age > 0).Sum(u => u.Age), (_, ct) => User.Where(u => u.Age > 0).SumAsync(u => u.Age, ct));
        yield return ("Min", _ => User.Where(u => u.Age > 0).Min(u => u.Age), (_, ct) => User.Where(u => u.Age > 0).MinAsync(u => u.Age, ct));
        yield return ("Max", _ => User.Where(u => u.Age > 0).Max(u => u.Age), (_, ct) => User.Where(u => u.Age > 0).MaxAsync(u => u.Age, ct));
        yield return ("Average", _ => User.Where(u => u.Age > 0).Average(u => u.Age), (_, ct) => User.Where(u => u.Age > 0).AverageAsync(u => u.Age, ct));
        yield return ("UpdateAll", _ => User.Where(u => u.Age > 0).UpdateAll(new { status = "x" }), (_, ct) => User.Where(u => u.Age > 0).UpdateAllAsync(new { status = "x" }, ct));
        yield return ("DeleteAll", _ => User.Where(u => u.Age > 0).DeleteAll(), (_, ct) => User.Where(u => u.Age > 0).DeleteAllAsync(ct));
        yield return ("InsertAll", _ => User.InsertAll([new User { Name = "b", Status = "new" }]), (_, ct) => User.InsertAllAsync([new User { Name = "b", Status = "new" }], ct));
        yield return ("Save", _ => { new User { Name = "b", Status = "new" }.Save(); return null; }, (_, ct) => new User { Name = "b", Status = "new" }.SaveAsync(ct));
        yield return ("CopyTo from", _ => User.Where(u => u.Age > 0).CopyTo("secondary"), (_, ct) => User.Where(u => u.Age > 0).CopyToAsync("secondary", cancellationToken: ct));
        yield return ("CopyTo to", name => User.Using("primary").CopyTo(name), (name, ct) => User.Using("primary").CopyToAsync(name, cancellationToken: ct));
    }
}

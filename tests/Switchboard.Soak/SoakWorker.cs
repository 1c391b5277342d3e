using System.Diagnostics;

namespace Switchboard.Soak;

/// <summary>One worker of the soak: reads, writes and transactions (5% rolled back on purpose), every call timed against its deadline.</summary>
internal static class SoakWorker
{
    /// <param name="statementDeadline">What a statement may take: pool_timeout (the checkout), command_timeout and the cancel's 1 s grace.</param>
    /// <param name="commitDeadline">What a commit or rollback may take: command_timeout (the connection is held already).</param>
    /// <param name="sync">Whether the worker uses the sync API (on a thread of its own) rather than the async one; its calls are reported apart.</param>
    public static async Task RunAsync(Connection pool, string table, int worker, SoakStats stats, TimeSpan statementDeadline, TimeSpan commitDeadline, bool sync, CancellationToken stop)
    {
        // The stop token only ends the loop: an operation under way finishes, so that it is acknowledged or fails on its own.
        var random = new Random(worker);
        while (!stop.IsCancellationRequested)
        {
            var roll = random.Next(100);
            List<long> pending = [];
            var committing = false;
            try
            {
                if (roll < 40)
                {
                    await Timed(stats, "read", statementDeadline, sync, () => pool.ScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE worker = @worker", new { worker }, CancellationToken.None), () => pool.Scalar<long>($"SELECT COUNT(*) FROM {table} WHERE worker = @worker", new { worker }));
                    Interlocked.Increment(ref stats.Reads);
                }
                else if (roll < 75)
                {
                    var id = stats.NextId();
                    pending.Add(id);
                    committing = true; // a single INSERT commits itself: once sent, its outcome is unknown until it answers
                    await Timed(stats, "write", statementDeadline, sync, () => pool.ExecuteAsync($"INSERT INTO {table} (id, worker, note) VALUES (@id, @worker, 'write')", new { id, worker }, CancellationToken.None), () => pool.Execute($"INSERT INTO {table} (id, worker, note) VALUES (@id, @worker, 'write')", new { id, worker }));
                    stats.Acknowledged.Add(id);
                    stats.Expected[id] = (worker, "write");
                    Interlocked.Increment(ref stats.Writes);
                }
                else
                {
                    await TransactAsync(pool, table, worker, stats, statementDeadline, commitDeadline, sync, rollBack: roll >= 95, pending, () => committing = true);
                }

                Interlocked.Increment(ref stats.Operations);
            }
            catch (Exception exception)
            {
                stats.Errors.AddOrUpdate(Describe(exception), 1, (_, n) => n + 1);

                // A checkout that timed out never sent anything; a transaction that failed before its commit is rolled back.
                var neverSent = exception is PoolTimeoutException;
                foreach (var id in pending)
                {
                    (committing && !neverSent ? stats.Ambiguous : stats.NeverCommitted).Add(id);
                }
            }
        }
    }

    private static async Task TransactAsync(Connection pool, string table, int worker, SoakStats stats, TimeSpan statementDeadline, TimeSpan commitDeadline, bool sync, bool rollBack, List<long> pending, Action committing)
    {
        var first = stats.NextId();
        var second = stats.NextId();
        pending.Add(first);
        pending.Add(second);
        var transaction = new Transaction(pool);
        try
        {
            await Timed(stats, "transaction insert", statementDeadline, sync, () => pool.ExecuteAsync($"INSERT INTO {table} (id, worker, note) VALUES (@id, @worker, 'tx')", new { id = first, worker }, CancellationToken.None), () => pool.Execute($"INSERT INTO {table} (id, worker, note) VALUES (@id, @worker, 'tx')", new { id = first, worker }));
            await Timed(stats, "transaction insert", statementDeadline, sync, () => pool.ExecuteAsync($"INSERT INTO {table} (id, worker, note) VALUES (@id, @worker, 'tx')", new { id = second, worker }, CancellationToken.None), () => pool.Execute($"INSERT INTO {table} (id, worker, note) VALUES (@id, @worker, 'tx')", new { id = second, worker }));
            await Timed(stats, "transaction update", statementDeadline, sync, () => pool.ExecuteAsync($"UPDATE {table} SET note = 'tx updated' WHERE id = @id", new { id = first }, CancellationToken.None), () => pool.Execute($"UPDATE {table} SET note = 'tx updated' WHERE id = @id", new { id = first }));
            if (rollBack)
            {
                await Timed(stats, "rollback", commitDeadline, sync, () => transaction.RollbackAsync(CancellationToken.None), transaction.Rollback);
                stats.NeverCommitted.Add(first);
                stats.NeverCommitted.Add(second);
                pending.Clear();
                Interlocked.Increment(ref stats.Rollbacks);
            }
            else
            {
                committing();
                await Timed(stats, "commit", commitDeadline, sync, () => transaction.CommitAsync(CancellationToken.None), transaction.Commit);
                stats.Acknowledged.Add(first);
                stats.Acknowledged.Add(second);
                stats.Expected[first] = (worker, "tx updated");
                stats.Expected[second] = (worker, "tx");
                pending.Clear();
                Interlocked.Increment(ref stats.Commits);
            }
        }
        finally
        {
            if (sync)
            {
                transaction.Dispose();
            }
            else
            {
                await transaction.DisposeAsync();
            }
        }
    }

    private static async Task Timed(SoakStats stats, string call, TimeSpan deadline, bool sync, Func<Task> runAsync, Action run)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (sync)
            {
                run();
            }
            else
            {
                await runAsync();
            }
        }
        finally
        {
            stats.RecordCall(sync ? call + " (sync)" : call, Stopwatch.GetElapsedTime(started), deadline);
        }
    }

    private static Task Timed<T>(SoakStats stats, string call, TimeSpan deadline, bool sync, Func<Task<T>> runAsync, Func<T> run) =>
        Timed(stats, call, deadline, sync, (Func<Task>)runAsync, () => run());

    private static string Describe(Exception exception)
    {
        var transient = exception is SwitchboardException { IsTransient: true } ? ", transient" : "";
        var inner = exception.InnerException is { } cause ? $" <- {cause.GetType().Name}" : "";
        return $"{exception.GetType().Name}{transient}{inner}";
    }
}

using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Switchboard.Dialects;

namespace Switchboard.Copying;

/// <summary>
/// Runs one copy: a reader over the source rows (its own connection, streaming) feeds the target engine's
/// <see cref="BulkWriter"/> inside one transaction on the target, committed only when every row is written.
/// A failure or a cancellation rolls the target back and names the row.
/// </summary>
internal static class CopyRunner
{
    /// <summary>What is copied: a description for messages, the source statement, and how its rows become the target's columns.</summary>
    internal sealed record Plan(
        string What,
        Connection Source,
        Connection Target,
        string SourceSql,
        CommandParameters Parameters,
        string TargetTable,
        Func<DbDataReader, IReadOnlyList<string>?, CopyRows> Rows,
        bool NeedsTargetColumns);

    public static async ValueTask<CopyResult> RunAsync(Plan plan, CopyOptions? options, bool async, CancellationToken cancellationToken)
    {
        options ??= new CopyOptions();
        options.Validate();
        var started = Stopwatch.GetTimestamp();
        var source = plan.Source;
        var target = plan.Target;

        // A copy writes: refused before anything is read inside ConnectionManager.UsingReplicas().
        Routing.Replicas.ReplicaRouter.BeforeWrite(target, "INSERT INTO " + plan.TargetTable);
        CopyReader? rows = null;
        BulkWriteTarget? bulk = null;
        var transaction = new Transaction(target);
        await using (transaction.ConfigureAwait(false))
        {
            var targetLease = await target.LeaseAsync(async, cancellationToken).ConfigureAwait(false);
            var sourceSide = false;
            var committing = false;
            try
            {
                sourceSide = true;
                var sourceLease = await source.LeaseAsync(async, cancellationToken).ConfigureAwait(false);
                try
                {
                    using var command = Connection.CreateCommand(sourceLease, plan.SourceSql);
                    ParameterBinder.Bind(command, source.Dialect, plan.Parameters);
                    var reader = async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();
                    await using (reader.ConfigureAwait(false))
                    try
                    {
                        sourceSide = false;
                        var targetColumns = plan.NeedsTargetColumns ? await TargetColumnsAsync(target, targetLease, plan.TargetTable, async, cancellationToken).ConfigureAwait(false) : null;
                        var shape = plan.Rows(reader, targetColumns);
                        rows = new CopyReader(reader, shape, target.Dialect, options.BatchSize, options.Progress, cancellationToken);
                        bulk = new BulkWriteTarget(
                            targetLease.Connection.Db, targetLease.DbTransaction, plan.TargetTable, shape.Columns, shape.QuotedColumns, options.BatchSize, target.CommandTimeout);
                        var writer = target.DatabaseDriver.CreateBulkWriter(bulk);
                        var written = await writer.WriteCoreAsync(rows, async, cancellationToken).ConfigureAwait(false);
                        await writer.FinishAsync(async, cancellationToken).ConfigureAwait(false);
                        rows.Close();
                        targetLease.Release();
                        targetLease = default;
                        committing = true;
                        await (async ? transaction.CommitAsync(cancellationToken) : Commit(transaction)).ConfigureAwait(false);
                        rows.Report(written);
                        return new CopyResult(written, Stopwatch.GetElapsedTime(started));
                    }
                    catch (Exception) when (!committing)
                    {
                        AbandonSource(command, sourceLease, source);
                        throw;
                    }
                }
                catch (Exception exception) when (exception is not SwitchboardException && (sourceSide || rows?.SourceFailure is not null))
                {
                    throw source.Translate(exception, sourceLease, plan.SourceSql, cancellationToken);
                }
                finally
                {
                    sourceLease.Release();
                }
            }
            catch (Exception exception) when (!committing)
            {
                // (A failed commit is reported as the transaction reports it: it knows whether the work was kept.)
                var failure = exception;
                if (targetLease.Connection is not null && exception is not SwitchboardException)
                {
                    // Cancelled or failed mid-write: the target connection is discarded unless the engine says it is sound,
                    // and its transaction is marked so that nothing of it can commit.
                    failure = target.Translate(exception, targetLease, "COPY INTO " + plan.TargetTable, cancellationToken);
                    targetLease.Failed(exception, failure);
                }

                if (failure is OperationCanceledException || exception is ArgumentException or NotSupportedException)
                {
                    throw failure;
                }

                throw Failed(plan, rows, bulk, failure, sourceSide || rows?.SourceFailure is not null);
            }
            finally
            {
                if (targetLease.Connection is not null)
                {
                    targetLease.Release();
                }
            }
        }
    }

    /// <summary>
    /// Stops the source's statement before its reader is disposed: a server driver would otherwise read every remaining
    /// row of an abandoned result (the whole table, for a copy cancelled at its start). The connection is not pooled again.
    /// </summary>
    private static void AbandonSource(DbCommand command, in ConnectionLease lease, Connection source)
    {
        if (!source.DatabaseDriver.ConnectionSurvivesCancellation)
        {
            lease.Connection.Break();
        }

        try
        {
            lease.Connection.Pool.Source.Cancel(command);
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or IOException or System.Net.Sockets.SocketException)
        {
            // Best effort: the connection is discarded anyway.
        }
    }

    private static Task Commit(Transaction transaction)
    {
        transaction.Commit();
        return Task.CompletedTask;
    }

    /// <summary>The target table's column names, read from a query that returns no rows, for copies that match columns by name.</summary>
    private static async ValueTask<IReadOnlyList<string>> TargetColumnsAsync(Connection target, ConnectionLease lease, string table, bool async, CancellationToken cancellationToken)
    {
        using var command = Connection.CreateCommand(lease, $"SELECT * FROM {table} WHERE 1 = 0");
        var reader = async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();
        await using (reader.ConfigureAwait(false))
        {
            var names = new string[reader.FieldCount];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = reader.GetName(i);
            }

            return names;
        }
    }

    private static SwitchboardException Failed(Plan plan, CopyReader? rows, BulkWriteTarget? bulk, Exception failure, bool reading)
    {
        var where = "before any row was copied";
        if (rows is not null && rows.RowsRead > 0)
        {
            var (first, last) = bulk?.FailedRows ?? (rows.RowsRead, rows.RowsRead);
            last = Math.Max(first, Math.Min(last, rows.RowsRead));
            where = first == last
                ? $"at row {first.ToString("N0", CultureInfo.InvariantCulture)}{Key(rows, first)}"
                : $"at one of rows {first.ToString("N0", CultureInfo.InvariantCulture)} to {last.ToString("N0", CultureInfo.InvariantCulture)}{KeyRange(rows, first, last)}";
        }

        var side = reading ? $"reading from '{plan.Source.Name}'" : $"writing to '{plan.Target.Name}'";
        var message = $"Copying {plan.What} from '{plan.Source.Name}' to '{plan.Target.Name}' failed {where}, {side}: {failure.Message} "
            + $"Nothing was written to '{plan.Target.Name}': the copy's transaction was rolled back.";
        var transient = failure is SwitchboardException { IsTransient: true };
        return failure is ConnectionException
            ? new ConnectionException(message, reading ? plan.Source.Name : plan.Target.Name, transient, failure)
            : new SwitchboardException(message, reading ? plan.Source.Name : plan.Target.Name, transient, failure);
    }

    private static string Key(CopyReader rows, long row) =>
        rows.TryGetKey(row, out var key) && key is not null ? $" (key {Format(key)})" : "";

    private static string KeyRange(CopyReader rows, long first, long last) =>
        rows.TryGetKey(first, out var from) && rows.TryGetKey(last, out var to) && from is not null && to is not null
            ? $" (keys {Format(from)} to {Format(to)})"
            : "";

    private static string Format(object key) => Convert.ToString(key, CultureInfo.InvariantCulture) ?? "";
}

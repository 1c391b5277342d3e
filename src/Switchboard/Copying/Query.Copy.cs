using Switchboard.Copying;

namespace Switchboard;

// Streaming copy of a query's rows to another connection, through the target engine's bulk path.
public sealed partial class Query<T>
{
    /// <summary>
    /// Copies the rows of this query, as they are (keys included), into the model's table on another connection, through
    /// that engine's bulk path: PostgreSQL's binary COPY, MySqlBulkCopy (or multi-row INSERTs), SQL Server's SqlBulkCopy,
    /// a prepared INSERT on SQLite. Rows stream from a reader on this query's connection, so memory does not grow with
    /// their number. Everything is written in one transaction on the target: on failure or cancellation nothing stays.
    /// </summary>
    /// <param name="connectionName">The connection to copy to; not the one the query reads from.</param>
    /// <param name="options">Batch size and progress; null for the defaults.</param>
    /// <returns>The rows written and the time taken.</returns>
    /// <exception cref="SwitchboardException">A row could not be read or written; the message names the row by number and key, and the target is unchanged.</exception>
    /// <exception cref="ArgumentException">The target is the query's own connection, or the options are out of range.</exception>
    /// <remarks>
    /// On PostgreSQL, sequences behind serial and identity columns are moved past the copied keys. <c>command_timeout</c>
    /// bounds each statement of the copy (each batch), not the whole copy; cancel it with <see cref="CopyToAsync(string, CopyOptions?, CancellationToken)"/>'s token.
    /// </remarks>
    public CopyResult CopyTo(string connectionName, CopyOptions? options = null) =>
        CopyToAsync(connectionName, options, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="CopyTo"/>
    /// <param name="connectionName">The connection to copy to; not the one the query reads from.</param>
    /// <param name="options">Batch size and progress; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the copy; the target is left unchanged.</param>
    public Task<CopyResult> CopyToAsync(string connectionName, CopyOptions? options = null, CancellationToken cancellationToken = default) =>
        CopyToAsync(connectionName, options, async: true, cancellationToken).AsTask();

    private async ValueTask<CopyResult> CopyToAsync(string connectionName, CopyOptions? options, bool async, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        var source = ResolveConnection().Current;
        var target = source.Registry.GetConnection(connectionName).Current;
        if (ReferenceEquals(source, target) || source.Name == target.Name)
        {
            throw new ArgumentException(
                $"CopyTo('{connectionName}') would copy {typeof(T).Name} rows onto the connection they are read from. Name another connection, or select it with Using(...) for the source.",
                nameof(connectionName));
        }

        // A model's first use on a connection reads its table from the catalog: in the caller's form, before the plan needs it.
        await source.Mappings.GetAsync<T>(async, cancellationToken).ConfigureAwait(false);
        await target.Mappings.GetAsync<T>(async, cancellationToken).ConfigureAwait(false);
        return await CopyRunner.RunAsync(CopyPlan(source, target), options, async, cancellationToken).ConfigureAwait(false);
    }

    private CopyRunner.Plan CopyPlan(Connection source, Connection target)
    {
        var sql = Build(source, count: false, out var parameters);
        var sourceMapping = source.Mappings.For<T>();
        var targetMapping = target.Mappings.For<T>();
        return new CopyRunner.Plan(
            typeof(T).Name + " rows",
            source,
            target,
            sql,
            CommandParameters.From(parameters.Values.ToArray()),
            targetMapping.Table,
            (_, _) => new ModelCopyRows<T>(sourceMapping, targetMapping),
            NeedsTargetColumns: false);
    }
}

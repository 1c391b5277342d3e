using System.Collections.Concurrent;
using System.Data.Common;
using Switchboard.Dialects;
using Switchboard.Sqlite;

namespace Switchboard.Tests.SyncOrAsync;

/// <summary>
/// The real SQLite driver, with every driver call Switchboard makes (open, ping, execute, read, insert) recorded as sync
/// or async: a sync operation must never wait on the driver's async API, and an async one must never block in its sync API.
/// </summary>
internal sealed class ModeRecordingDriver : DatabaseDriver
{
    public const string DriverName = "sqlite-recorded";

    private readonly SqliteDriver _inner = new();

    /// <summary>Every driver call in order: what it was and whether it was the async form.</summary>
    public ConcurrentQueue<DriverCall> Calls { get; } = new();

    public override string Name => DriverName;

    public override SqlDialect Dialect => _inner.Dialect;

    public override bool IsServerEngine => _inner.IsServerEngine;

    public override IReadOnlyCollection<string> EngineKeys => _inner.EngineKeys;

    public override SqlLexicon Lexicon => _inner.Lexicon;

    public override bool ConnectionSurvivesCancellation => _inner.ConnectionSurvivesCancellation;

    public override void Validate(ConnectionConfig config, string connectionName) => _inner.Validate(config, connectionName);

    public override DriverDataSource CreateDataSource(ConnectionConfig config, string connectionName) =>
        new Source(_inner.CreateDataSource(config, connectionName), this);

    public override BulkWriter CreateBulkWriter(BulkWriteTarget target) => _inner.CreateBulkWriter(target);

    public override bool IsTransient(Exception exception) => _inner.IsTransient(exception);

    public override StatementErrorInfo DescribeError(DbException exception) => _inner.DescribeError(exception);

    public override TransactionFailureEffect EffectOnTransaction(DbException exception, DbConnection connection) =>
        _inner.EffectOnTransaction(exception, connection);

    public override string? ExplainFailure(Exception exception, string? statement) => _inner.ExplainFailure(exception, statement);

    public override CatalogQuery? ColumnCatalog(string table, string? schema) => _inner.ColumnCatalog(table, schema);

    public override string Describe(ConnectionConfig config) => _inner.Describe(config);

    internal void Record(string operation, bool async) => Calls.Enqueue(new DriverCall(operation, async));

    private sealed class Source(DriverDataSource inner, ModeRecordingDriver driver) : DriverDataSource
    {
        public override DbConnection CreateConnection() => inner.CreateConnection();

        public override void Open(DbConnection connection)
        {
            driver.Record(nameof(Open), async: false);
            inner.Open(connection);
        }

        public override Task OpenAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            driver.Record(nameof(Open), async: true);
            return inner.OpenAsync(connection, cancellationToken);
        }

        public override void Ping(DbConnection connection)
        {
            driver.Record(nameof(Ping), async: false);
            inner.Ping(connection);
        }

        public override Task PingAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            driver.Record(nameof(Ping), async: true);
            return inner.PingAsync(connection, cancellationToken);
        }

        public override DbCommand CreateCommand(DbConnection connection) => new ModeRecordingCommand(inner.CreateCommand(connection), driver);

        public override object? ExecuteInsert(DbCommand command)
        {
            driver.Record(nameof(ExecuteInsert), async: false);
            return inner.ExecuteInsert(command);
        }

        public override Task<object?> ExecuteInsertAsync(DbCommand command, CancellationToken cancellationToken)
        {
            driver.Record(nameof(ExecuteInsert), async: true);
            return inner.ExecuteInsertAsync(command, cancellationToken);
        }

        public override long? ReadLastInsertId(DbCommand command) => inner.ReadLastInsertId(command);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        protected override async ValueTask DisposeAsyncCore()
        {
            await inner.DisposeAsync();
            await base.DisposeAsyncCore();
        }
    }
}

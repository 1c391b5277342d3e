using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Switchboard.Dialects;

namespace Switchboard.Tests.Support;

/// <summary>
/// A driver whose BEGIN, COMMIT or ROLLBACK can hang as on a stopped server (a real server cannot be made to hang on
/// COMMIT on demand): the driver call, sync or async, returns only when its connection is closed under it, and then
/// fails as a lost connection. Underneath are real SQLite connections to one shared in-memory database.
/// </summary>
public sealed class TransactionHangDriver : DatabaseDriver
{
    private readonly string _connectionString = $"Data Source=hang-{Guid.NewGuid():N};Mode=Memory;Cache=Shared;Pooling=False";
    private readonly SqliteConnection _keeper;
    private int _hanging;

    public TransactionHangDriver(string name)
    {
        Name = name;
        _keeper = new SqliteConnection(_connectionString);
        _keeper.Open();
    }

    public override string Name { get; }

    public override SqlDialect Dialect { get; } = new HangDialect();

    public override bool IsServerEngine => false;

    /// <summary>Which of <c>BEGIN</c>, <c>COMMIT</c>, <c>ROLLBACK</c> hang now.</summary>
    public Func<string, bool> HangsAt { get; set; } = _ => false;

    /// <summary>How many transaction calls are hanging now.</summary>
    public int Hanging => Volatile.Read(ref _hanging);

    public override DriverDataSource CreateDataSource(ConnectionConfig config, string connectionName) => new Source(this);

    public override bool IsDisconnect(Exception exception) => exception is FakeDisconnectException;

    private async Task HangIfToldAsync(string what, HangConnection connection, bool async)
    {
        if (!HangsAt(what))
        {
            return;
        }

        Interlocked.Increment(ref _hanging);
        try
        {
            if (async)
            {
                await connection.Closed.Task.ConfigureAwait(false);
            }
            else
            {
                connection.Closed.Task.GetAwaiter().GetResult();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _hanging);
        }

        throw new FakeDisconnectException($"the connection was closed during {what}");
    }

    private sealed class Source(TransactionHangDriver driver) : DriverDataSource
    {
        public override DbConnection CreateConnection() => new HangConnection(driver, new SqliteConnection(driver._connectionString));

        public override DbCommand CreateCommand(DbConnection connection) => new HangCommand(((HangConnection)connection).Inner.CreateCommand());
    }

    private sealed class HangConnection(TransactionHangDriver driver, SqliteConnection inner) : DbConnection
    {
        public SqliteConnection Inner { get; } = inner;

        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        [AllowNull]
        public override string ConnectionString { get => Inner.ConnectionString; set => Inner.ConnectionString = value; }

        public override string Database => Inner.Database;

        public override string DataSource => Inner.DataSource;

        public override string ServerVersion => Inner.ServerVersion;

        public override ConnectionState State => Closed.Task.IsCompleted ? ConnectionState.Closed : Inner.State;

        public override void ChangeDatabase(string databaseName) => Inner.ChangeDatabase(databaseName);

        public override void Open() => Inner.Open();

        public override void Close()
        {
            Closed.TrySetResult();
            Inner.Close();
        }

        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
        {
            driver.HangIfToldAsync("BEGIN", this, async: false).GetAwaiter().GetResult();
            return new HangTransaction(driver, this, Inner.BeginTransaction(isolationLevel));
        }

        protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken)
        {
            await driver.HangIfToldAsync("BEGIN", this, async: true);
            return new HangTransaction(driver, this, Inner.BeginTransaction(isolationLevel));
        }

        protected override DbCommand CreateDbCommand() => new HangCommand(Inner.CreateCommand());

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Closed.TrySetResult();
                Inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class HangTransaction(TransactionHangDriver driver, HangConnection connection, SqliteTransaction inner) : DbTransaction
    {
        public SqliteTransaction Inner { get; } = inner;

        public override IsolationLevel IsolationLevel => Inner.IsolationLevel;

        protected override DbConnection DbConnection => connection;

        public override void Commit()
        {
            driver.HangIfToldAsync("COMMIT", connection, async: false).GetAwaiter().GetResult();
            Inner.Commit();
        }

        public override async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            await driver.HangIfToldAsync("COMMIT", connection, async: true);
            Inner.Commit();
        }

        public override void Rollback()
        {
            driver.HangIfToldAsync("ROLLBACK", connection, async: false).GetAwaiter().GetResult();
            Inner.Rollback();
        }

        public override async Task RollbackAsync(CancellationToken cancellationToken = default)
        {
            await driver.HangIfToldAsync("ROLLBACK", connection, async: true);
            Inner.Rollback();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !connection.Closed.Task.IsCompleted)
            {
                Inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A SQLite command that takes the wrapped connection and transaction.</summary>
    private sealed class HangCommand(SqliteCommand inner) : DbCommand
    {
        [AllowNull]
        public override string CommandText { get => inner.CommandText; set => inner.CommandText = value; }

        public override int CommandTimeout { get => inner.CommandTimeout; set => inner.CommandTimeout = value; }

        public override CommandType CommandType { get => inner.CommandType; set => inner.CommandType = value; }

        public override bool DesignTimeVisible { get => inner.DesignTimeVisible; set => inner.DesignTimeVisible = value; }

        public override UpdateRowSource UpdatedRowSource { get => inner.UpdatedRowSource; set => inner.UpdatedRowSource = value; }

        protected override DbConnection? DbConnection
        {
            get => inner.Connection;
            set => inner.Connection = value is HangConnection hang ? hang.Inner : (SqliteConnection?)value;
        }

        protected override DbParameterCollection DbParameterCollection => inner.Parameters;

        protected override DbTransaction? DbTransaction
        {
            get => inner.Transaction;
            set => inner.Transaction = value is HangTransaction hang ? hang.Inner : (SqliteTransaction?)value;
        }

        public override void Cancel() => inner.Cancel();

        public override int ExecuteNonQuery() => inner.ExecuteNonQuery();

        public override object? ExecuteScalar() => inner.ExecuteScalar();

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => inner.ExecuteNonQueryAsync(cancellationToken);

        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => inner.ExecuteScalarAsync(cancellationToken);

        public override void Prepare() => inner.Prepare();

        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => inner.ExecuteReader(behavior);

        protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
            await inner.ExecuteReaderAsync(behavior, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class HangDialect : SqlDialect;
}

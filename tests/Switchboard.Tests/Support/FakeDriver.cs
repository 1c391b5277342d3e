using System.Data.Common;
using Microsoft.Data.Sqlite;
using Switchboard.Dialects;

namespace Switchboard.Tests.Support;

/// <summary>
/// A driver for faults a real server cannot produce on demand: opening can be made to refuse or to wait on a gate;
/// statements can be made to hang (as on a stopped server) and <see cref="DbCommand.Cancel"/> to hang as well.
/// Connections underneath are real SQLite connections to one shared in-memory database per driver.
/// </summary>
public sealed partial class FakeDriver : DatabaseDriver
{
    private readonly string _databaseName = "fake-" + Guid.NewGuid().ToString("N");
    private readonly SqliteConnection _keeper;
    private readonly List<SqliteConnection> _opened = [];
    private readonly TaskCompletionSource _cancelGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _opens;
    private int _cancels;
    private int _hanging;
    private int _disconnectNext;
    private int _sourceCancels;
    private int _aborts;
    private int _lastCommandTimeout;

    public FakeDriver(string name = "fake")
    {
        Name = name;
        _keeper = new SqliteConnection(ConnectionString);
        _keeper.Open();
    }

    public override string Name { get; }

    public override SqlDialect Dialect { get; } = new FakeDialect();

    public override bool IsServerEngine => ActsAsServer;

    /// <summary>Whether host, port, username and password are accepted, as for a server engine.</summary>
    public bool ActsAsServer { get; init; }

    /// <summary>When set, opening throws this (the database refuses).</summary>
    public Exception? Refuse { get; set; }

    /// <summary>When set, opening waits for this task first (a slow or hanging connect).</summary>
    public Func<CancellationToken, Task>? BeforeOpen { get; set; }

    /// <summary>
    /// When set, a statement whose SQL matches hangs as on a stopped server: until <see cref="DbCommand.Cancel"/> gets
    /// through (it fails then, as a cancelled statement does), or its connection is closed (it fails as a lost one).
    /// </summary>
    public Func<string, bool>? HangsOn { get; set; }

    /// <summary>Whether a hanging statement ignores its cancellation token too, as a driver blocked in a socket read may.</summary>
    public bool IgnoresTokens { get; set; }

    /// <summary>Whether a cancel lets the hanging statement finish normally, as MySQL's SLEEP() does when KILL QUERY interrupts it (it returns 1).</summary>
    public bool CancelLetsItFinish { get; set; }

    /// <summary>Whether a pre-ping hangs as on a stopped server, until its connection is closed.</summary>
    public bool PingHangs { get; set; }

    /// <summary>
    /// Whether a sync pre-ping (with <see cref="PingHangs"/>) survives the close of its connection too, until
    /// <see cref="ReleaseSyncPings"/>: Npgsql's, while its own cancel request waits on a stopped postmaster.
    /// </summary>
    public bool SyncPingOutlivesClose { get; set; }

    private readonly ManualResetEventSlim _syncPingsReleased = new();

    /// <summary>Ends the sync pre-pings that <see cref="SyncPingOutlivesClose"/> holds.</summary>
    public void ReleaseSyncPings() => _syncPingsReleased.Set();

    /// <summary>Whether a hanging statement survives the close of its connection too: a driver that does not return at all.</summary>
    public bool IgnoresClose { get; set; }

    /// <summary>
    /// When set and it returns an exception for a statement's SQL, the statement closes its connection and throws it, as
    /// Npgsql does on a read timeout (it breaks the connection and throws "Exception while reading from stream").
    /// </summary>
    public Func<string, Exception?>? FailsWith { get; set; }

    /// <summary>
    /// When set and it returns an exception for a statement's SQL, the statement throws it before running and its
    /// connection stays open, as a server error (a deadlock, a serialization failure) leaves it.
    /// </summary>
    public Func<string, Exception?>? StatementFails { get; set; }

    /// <summary>Whether <see cref="DbCommand.Cancel"/> hangs (as a cancel request to a stopped server does) until <see cref="ReleaseCancels"/>.</summary>
    public bool CancelHangs { get; set; }

    /// <summary>
    /// Whether the data source decides that a cancel cannot get through and sends none (<see cref="DriverDataSource.Cancel"/>),
    /// as Switchboard's PostgreSQL data source does when the postmaster does not answer.
    /// </summary>
    public bool SourceSkipsCancels { get; set; }

    /// <summary>How many times Switchboard asked the data source to cancel a statement (<see cref="DriverDataSource.Cancel"/>).</summary>
    public int SourceCancels => Volatile.Read(ref _sourceCancels);

    /// <summary>How many times Switchboard asked the data source to end a connection at once (<see cref="DriverDataSource.Abort"/>).</summary>
    public int Aborts => Volatile.Read(ref _aborts);

    /// <summary>When set, the driver's own timeout the data source asks for (<see cref="DriverDataSource.CommandTimeoutSeconds"/>).</summary>
    public Func<TimeSpan, int>? DriverTimeout { get; set; }

    /// <summary>The <see cref="DbCommand.CommandTimeout"/> of the last statement run, as the driver saw it.</summary>
    public int LastCommandTimeout => Volatile.Read(ref _lastCommandTimeout);

    /// <summary>How many times <see cref="DbCommand.Cancel"/> was called on a statement.</summary>
    public int Cancels => Volatile.Read(ref _cancels);

    /// <summary>How many statements are hanging now.</summary>
    public int Hanging => Volatile.Read(ref _hanging);

    /// <summary>Lets every hung cancel return.</summary>
    public void ReleaseCancels() => _cancelGate.TrySetResult();

    /// <summary>
    /// When set, the next statement on any of this driver's connections throws <see cref="FakeDisconnectException"/> and
    /// the connection stays open: a lost connection that only the driver's error tells (the flag clears itself).
    /// </summary>
    public bool DisconnectNextStatement
    {
        get => Volatile.Read(ref _disconnectNext) == 1;
        set => Volatile.Write(ref _disconnectNext, value ? 1 : 0);
    }

    /// <summary>Closes every connection this driver opened, as a server restart or a killed backend does.</summary>
    public void KillAll()
    {
        lock (_opened)
        {
            foreach (var connection in _opened)
            {
                connection.Close();
            }

            _opened.Clear();
        }
    }

    /// <summary>How many opens were attempted.</summary>
    public int Opens => Volatile.Read(ref _opens);

    private string ConnectionString => $"Data Source={_databaseName};Mode=Memory;Cache=Shared;Pooling=False";

    public override DriverDataSource CreateDataSource(ConnectionConfig config, string connectionName) => new Source(this);

    public override bool IsDisconnect(Exception exception) => exception is FakeDisconnectException;

    private void Track(DbConnection connection)
    {
        lock (_opened)
        {
            _opened.Add((SqliteConnection)connection);
        }
    }

    public override bool IsTransient(Exception exception) => exception is FakeDisconnectException;

    private sealed class Source(FakeDriver driver) : DriverDataSource
    {
        public override DbConnection CreateConnection() => new SqliteConnection(driver.ConnectionString);

        public override void Open(DbConnection connection)
        {
            Interlocked.Increment(ref driver._opens);
            driver.BeforeOpen?.Invoke(CancellationToken.None).GetAwaiter().GetResult();
            if (driver.Refuse is { } refusal)
            {
                throw refusal;
            }

            connection.Open();
            driver.Track(connection);
        }

        public override void Ping(DbConnection connection)
        {
            if (driver.PingHangs && driver.SyncPingOutlivesClose)
            {
                driver._syncPingsReleased.Wait();
            }
            else if (driver.PingHangs)
            {
                UntilClosed(connection).GetAwaiter().GetResult();
            }

            base.Ping(connection);
        }

        public override async Task PingAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            if (driver.PingHangs)
            {
                await UntilClosed(connection);
            }

            await base.PingAsync(connection, cancellationToken);
        }

        /// <summary>Waits, as a read from a stopped server does, until the connection is closed under it; then fails as a lost connection.</summary>
        private static async Task UntilClosed(DbConnection connection)
        {
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnStateChange(object? sender, System.Data.StateChangeEventArgs e)
            {
                if (e.CurrentState != System.Data.ConnectionState.Open)
                {
                    closed.TrySetResult();
                }
            }

            connection.StateChange += OnStateChange;
            try
            {
                if (connection.State == System.Data.ConnectionState.Open)
                {
                    await closed.Task;
                }

                throw new FakeDisconnectException("the connection was closed during a ping");
            }
            finally
            {
                connection.StateChange -= OnStateChange;
            }
        }

        public override void Cancel(DbCommand command)
        {
            Interlocked.Increment(ref driver._sourceCancels);
            if (!driver.SourceSkipsCancels)
            {
                base.Cancel(command);
            }
        }

        public override void Abort(DbConnection connection)
        {
            Interlocked.Increment(ref driver._aborts);
            base.Abort(connection);
        }

        public override int CommandTimeoutSeconds(TimeSpan commandTimeout) =>
            driver.DriverTimeout?.Invoke(commandTimeout) ?? base.CommandTimeoutSeconds(commandTimeout);

        public override DbCommand CreateCommand(DbConnection connection) =>
            new DisconnectingCommand(new FakeCommand(driver, (SqliteCommand)connection.CreateCommand()), () => Interlocked.Exchange(ref driver._disconnectNext, 0) == 1);

        public override async Task OpenAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref driver._opens);
            if (driver.BeforeOpen is { } before)
            {
                await before(cancellationToken);
            }

            if (driver.Refuse is { } refusal)
            {
                throw refusal;
            }

            await connection.OpenAsync(cancellationToken);
            driver.Track(connection);
        }
    }

    private sealed class FakeDialect : SqlDialect
    {
        public override string? LastInsertIdSql => "SELECT last_insert_rowid()";
    }
}

/// <summary>A driver exception that the fake driver classifies as a lost connection.</summary>
public sealed class FakeDisconnectException(string message) : DbException(message);

/// <summary>A driver exception for a statement cancelled through <see cref="DbCommand.Cancel"/>.</summary>
public sealed class FakeCancelledException(string message) : DbException(message);

/// <summary>A driver exception the server would send with a SQLSTATE (40P01 a deadlock, 40001 a serialization failure, ...).</summary>
public sealed class FakeServerException(string message, string sqlState) : DbException(message)
{
    public override string? SqlState => sqlState;
}

/// <summary>A driver exception for a refused connection.</summary>
public sealed class FakeRefusedException(string message) : DbException(message);

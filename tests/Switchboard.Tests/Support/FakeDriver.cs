using System.Data.Common;
using Microsoft.Data.Sqlite;
using Switchboard.Dialects;

namespace Switchboard.Tests.Support;

/// <summary>
/// A driver for faults a real server cannot produce on demand: opening can be made to refuse or to wait on a gate.
/// Connections underneath are real SQLite connections to one shared in-memory database per driver.
/// </summary>
public sealed class FakeDriver : DatabaseDriver
{
    private readonly string _databaseName = "fake-" + Guid.NewGuid().ToString("N");
    private readonly SqliteConnection _keeper;
    private readonly List<SqliteConnection> _opened = [];
    private int _opens;
    private int _disconnectNext;

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

        public override DbCommand CreateCommand(DbConnection connection) =>
            new DisconnectingCommand(base.CreateCommand(connection), () => Interlocked.Exchange(ref driver._disconnectNext, 0) == 1);

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

/// <summary>A driver exception for a refused connection.</summary>
public sealed class FakeRefusedException(string message) : DbException(message);

using System.Data;
using System.Data.Common;
using Switchboard.Dialects;
using Switchboard.Sqlite;

namespace Switchboard.Tests.SyncOrAsync;

/// <summary>The provider SPI's paired operations (<see cref="DriverDataSource"/>, <see cref="BulkWriter"/>) on the SQLite provider, in both forms.</summary>
public sealed class ProviderSpiSyncOrAsyncTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("N"));
    private readonly SqliteDriver _driver = new();
    private readonly DriverDataSource _source;

    public ProviderSpiSyncOrAsyncTests()
    {
        Directory.CreateDirectory(_folder);
        _source = _driver.CreateDataSource(new ConnectionConfig { Driver = "sqlite", Database = Path.Combine(_folder, "spi.db") }, "spi");
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [SyncOrAsyncData]
    public async Task Open_OpensAndPreparesTheConnection_AndPingAnswers(SyncOrAsync mode)
    {
        using var connection = _source.CreateConnection();

        if (mode == SyncOrAsync.Sync)
        {
            _source.Open(connection);
            _source.Ping(connection);
        }
        else
        {
            await _source.OpenAsync(connection, Cancel);
            await _source.PingAsync(connection, Cancel);
        }

        Assert.Equal(ConnectionState.Open, connection.State);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Ping_OfAClosedConnection_Throws(SyncOrAsync mode)
    {
        using var connection = _source.CreateConnection();
        _source.Open(connection);
        connection.Close();

        var error = mode == SyncOrAsync.Sync
            ? Assert.ThrowsAny<InvalidOperationException>(() => _source.Ping(connection))
            : await Assert.ThrowsAnyAsync<InvalidOperationException>(() => _source.PingAsync(connection, Cancel));

        Assert.NotNull(error);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task ExecuteInsert_ReturnsTheGeneratedKey(SyncOrAsync mode)
    {
        using var connection = _source.CreateConnection();
        _source.Open(connection);
        Exec(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT)");
        Exec(connection, "INSERT INTO t (name) VALUES ('first')");
        using var insert = _source.CreateCommand(connection);
        insert.CommandText = "INSERT INTO t (name) VALUES ('second') RETURNING id";

        var key = mode == SyncOrAsync.Sync ? _source.ExecuteInsert(insert) : await _source.ExecuteInsertAsync(insert, Cancel);

        Assert.Equal(2L, Convert.ToInt64(key, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Dispose_OfAMemoryDatabaseSource_ReleasesTheDatabase(SyncOrAsync mode)
    {
        var name = "spi-" + Guid.NewGuid().ToString("N");
        var config = new ConnectionConfig { Driver = "sqlite", Database = $"file:{name}?mode=memory&cache=shared" };
        var source = _driver.CreateDataSource(config, "memory");
        using (var first = source.CreateConnection())
        {
            source.Open(first);
            Exec(first, "CREATE TABLE kept (x INTEGER)");
        }

        if (mode == SyncOrAsync.Sync)
        {
            source.Dispose();
        }
        else
        {
            await source.DisposeAsync();
        }

        var again = _driver.CreateDataSource(config, "memory");
        using var connection = again.CreateConnection();
        again.Open(connection);
        using var probe = connection.CreateCommand();
        probe.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'kept'";
        Assert.Equal(0L, probe.ExecuteScalar());
        again.Dispose();
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task BulkWriter_Write_StoresEveryRowOfEveryResult(SyncOrAsync mode)
    {
        using var connection = _source.CreateConnection();
        _source.Open(connection);
        Exec(connection, "CREATE TABLE target (id INTEGER, name TEXT)");
        using var rows = new DataTableReader([Table((1, "a"), (2, "b")), Table((3, "c"))]);
        using var transaction = connection.BeginTransaction();
        var writer = _driver.CreateBulkWriter(new BulkWriteTarget(connection, transaction, "target", ["id", "name"], ["\"id\"", "\"name\""], 100, TimeSpan.FromSeconds(30)));

        var written = mode == SyncOrAsync.Sync ? writer.Write(rows) : await writer.WriteAsync(rows, Cancel);
        transaction.Commit();

        Assert.Equal(3L, written);
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT group_concat(name) FROM (SELECT name FROM target ORDER BY id)";
        Assert.Equal("a,b,c", count.ExecuteScalar());
    }

    private static DataTable Table(params (int Id, string Name)[] rows)
    {
        var table = new DataTable();
        table.Columns.Add("id", typeof(int));
        table.Columns.Add("name", typeof(string));
        foreach (var (id, name) in rows)
        {
            table.Rows.Add(id, name);
        }

        return table;
    }

    private static void Exec(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _source.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still mapped by the OS; the temp folder is cleaned eventually.
        }
    }
}

using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Switchboard.Dialects;

namespace Switchboard.Sqlite;

/// <summary>
/// Opens SQLite connections with Microsoft.Data.Sqlite's pooling off. A file gets WAL and a busy timeout on each new
/// connection; <c>:memory:</c> becomes one named shared-cache database for the whole pool, kept alive by a connection
/// this data source holds until the pool is disposed.
/// </summary>
internal sealed class SqliteDataSource : DriverDataSource
{
    private readonly string _connectionString;
    private readonly string _setup;
    private readonly bool _memory;
    private readonly Lock _keeperGate = new();
    private SqliteConnection? _keeper;
    private bool _disposed;

    public SqliteDataSource(ConnectionConfig config, string connectionName)
    {
        _memory = IsMemory(config.Database!);
        var busyTimeout = SqliteOptions.BusyTimeoutKey.ValueOrDefault(config) ?? TimeSpan.Zero;
        var builder = new SqliteConnectionStringBuilder
        {
            Pooling = false,

            // Microsoft.Data.Sqlite retries a busy or locked statement for its command timeout (0 = for ever); that is a
            // wait for a lock, which busy_timeout bounds. The statement itself is bounded by command_timeout, which
            // Switchboard enforces by interrupting it.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        };
        if (_memory)
        {
            // One database per pool, not per connection: a uniquely named shared-cache memory database.
            builder.DataSource = $"switchboard-{connectionName}-{Guid.NewGuid():N}";
            builder.Mode = SqliteOpenMode.Memory;
            builder.Cache = SqliteCacheMode.Shared;
        }
        else
        {
            builder.DataSource = config.Database;
            builder.Mode = SqliteOpenMode.ReadWriteCreate;
        }

        _connectionString = builder.ConnectionString;
        var busy = (long)busyTimeout.TotalMilliseconds;
        var journal = config.JournalMode?.ToLowerInvariant() ?? (_memory ? null : SqliteOptions.JournalModeKey.Default);
        _setup = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {busy};") + (journal is null ? "" : $" PRAGMA journal_mode = {journal};");
    }

    public static bool IsMemory(string database) =>
        database == ":memory:" || database.Contains("mode=memory", StringComparison.OrdinalIgnoreCase);

    public override DbConnection CreateConnection() => new SqliteConnection(_connectionString);

    public override void Open(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        KeepMemoryDatabaseAlive();
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = _setup;
        command.ExecuteNonQuery();
    }

    public override async Task OpenAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        KeepMemoryDatabaseAlive();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = _setup;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A command that a token or the command timeout can interrupt (see <see cref="InterruptibleCommand"/>).</summary>
    public override DbCommand CreateCommand(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new InterruptibleCommand(((SqliteConnection)connection).CreateCommand());
    }

    protected override void Dispose(bool disposing)
    {
        lock (_keeperGate)
        {
            _disposed = true;
            _keeper?.Dispose();
            _keeper = null;
        }

        base.Dispose(disposing);
    }

    /// <summary>A shared in-memory database lives while one connection to it is open: hold one for the pool's lifetime.</summary>
    private void KeepMemoryDatabaseAlive()
    {
        if (!_memory)
        {
            return;
        }

        lock (_keeperGate)
        {
            if (_keeper is null && !_disposed)
            {
                var keeper = new SqliteConnection(_connectionString);
                keeper.Open();
                _keeper = keeper;
            }
        }
    }
}

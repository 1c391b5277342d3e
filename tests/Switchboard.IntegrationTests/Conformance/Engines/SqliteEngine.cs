using System.Data;

namespace Switchboard.IntegrationTests.Conformance.Engines;

/// <summary>SQLite: always available; each store is a file in a temporary folder of this engine instance.</summary>
public sealed class SqliteEngine : TestEngine
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "switchboard-conformance", Guid.NewGuid().ToString("N"));

    public override string Name => "Sqlite";

    public override string Driver => "sqlite";

    public override bool IsServer => false;

    // SQLite lets one writer in at a time, so every level runs serializable; the only weaker mode, dirty reads on a
    // shared cache, shows as PRAGMA read_uncommitted = 1. The isolation tests prove the one-writer half separately.
    public override string CurrentIsolationSql =>
        "SELECT CASE read_uncommitted WHEN 1 THEN 'read uncommitted' ELSE 'serializable' END FROM pragma_read_uncommitted";

    public override string IsolationName(IsolationLevel level) => "serializable";

    // Decimal and date/time values are TEXT (Microsoft.Data.Sqlite writes them as text; NUMERIC affinity would turn
    // 12345678901234.5678 into a lossy REAL, so a decimal model on plain NUMERIC is refused; NUMERIC(12,2) keeps 12 digits exactly), a Guid is the BLOB Microsoft.Data.Sqlite writes by default.
    public override IReadOnlyList<string> SuiteTables =>
    [
        "CREATE TABLE gadgets (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, status TEXT NOT NULL, price NUMERIC(12,2) NOT NULL DEFAULT 0, rank INTEGER NOT NULL DEFAULT 0, note TEXT)",
        """
        CREATE TABLE type_samples (
            id INTEGER PRIMARY KEY AUTOINCREMENT, flag INTEGER NOT NULL, small INTEGER NOT NULL, number INTEGER NOT NULL, big INTEGER NOT NULL,
            amount TEXT NOT NULL, ratio REAL NOT NULL, label TEXT NOT NULL, payload BLOB NOT NULL, token BLOB NOT NULL,
            created_at TEXT NOT NULL, happened_at TEXT NOT NULL, day TEXT NOT NULL, time_of_day TEXT NOT NULL, mood INTEGER NOT NULL,
            maybe_flag INTEGER, maybe_small INTEGER, maybe_number INTEGER, maybe_big INTEGER, maybe_amount TEXT, maybe_ratio REAL,
            maybe_label TEXT, maybe_payload BLOB, maybe_token BLOB, maybe_created_at TEXT, maybe_happened_at TEXT,
            maybe_day TEXT, maybe_time_of_day TEXT, maybe_mood INTEGER)
        """,
    ];

    public override ConnectionConfig Server()
    {
        Directory.CreateDirectory(_folder);
        return new ConnectionConfig { Driver = Driver, Database = Path.Combine(_folder, "admin.db") };
    }

    public override Task<ConnectionConfig> CreateStoreAsync(Connection admin, string store) =>
        Task.FromResult(new ConnectionConfig { Driver = Driver, Database = Path.Combine(_folder, store + ".db") });

    public override Task DropStoreAsync(Connection admin, string store)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path.Combine(_folder, store + ".db" + suffix));
        }

        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open somewhere; the temp folder is cleaned eventually.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }

        base.Dispose(disposing);
    }
}

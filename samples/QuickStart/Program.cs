// Switchboard QuickStart: named connections of several engines, models bound to them, scopes, raw SQL, transactions and events, on two SQLite files, start to finish.
using QuickStart;
using Switchboard;

var folder = Path.Combine(Path.GetTempPath(), "switchboard-quickstart");
if (Directory.Exists(folder))
{
    Directory.Delete(folder, recursive: true);
}

Directory.CreateDirectory(folder);
var primaryFile = Path.Combine(folder, "primary.db");
var analyticsFile = Path.Combine(folder, "analytics.db");

Console.WriteLine("Switchboard QuickStart: two databases in one process.");

Step(1, "Configure two named connections, each with its own pool.");
ConnectionManager.Configure("primary", new Dictionary<string, object?>
{
    ["driver"] = "sqlite",
    ["database"] = primaryFile,
    ["pool_size"] = 5,
});
ConnectionManager.Configure("analytics", $"sqlite:///{analyticsFile}?pool_size=2&pool_timeout=10");
foreach (var name in ConnectionManager.Names)
{
    var connection = ConnectionManager.GetConnection(name);
    Say($"{name,-9} -> {connection.Driver} file {connection.Config.Database}, pool_size {connection.Statistics.MaxSize}");
}

Say($"Nothing has connected yet: primary has opened {ConnectionManager.GetConnection("primary").Statistics.Opened} connections.");

Step(2, "Listen to connection events; each prints below as it fires, marked with '»'.");
using var onConnect = ConnectionEvents.OnConnect(e => Event($"New connection {e.Id} established ({e.ConnectionName})"));
using var onCheckout = ConnectionEvents.OnCheckout(e => Event($"Connection {e.Id} checked out ({e.ConnectionName})"));
using var onCheckin = ConnectionEvents.OnCheckin(e => Event($"Connection {e.Id} checked in ({e.ConnectionName})"));
using var onDisconnect = ConnectionEvents.OnDisconnect(e => Event($"Connection {e.Id} closed ({e.ConnectionName}, {e.Reason})"));

Step(3, "Create a table in each database with raw SQL.");
ConnectionManager.GetConnection("primary").Execute(
    "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, status TEXT NOT NULL)");
ConnectionManager.GetConnection("analytics").Execute(
    "CREATE TABLE page_views (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL, user_name TEXT NOT NULL, viewed_at TEXT NOT NULL)");

Step(4, "Save models: User is bound to 'primary', PageView to 'analytics'. (Events are quiet from here on.)");
Quiet = true;
foreach (var (name, status) in new[] { ("Ann", "active"), ("Bo", "active"), ("Cy", "inactive") })
{
    var user = new User { Name = name, Status = status };
    user.Save();
    new PageView { Path = "/welcome", UserName = name, ViewedAt = DateTime.UtcNow }.Save();
    Say($"Saved User #{user.Id} {user.Name} in primary, and a page view in analytics.");
}

var ann = User.Find(1);
ann.Name = "Ann Lee";
ann.Save();
Say($"Renamed user #1 to '{User.Find(1).Name}'; only the changed column was written back.");
var active = User.Where(u => u.Status == "active").OrderBy(u => u.Name).All();
Say($"Active users: {string.Join(", ", active.Select(u => u.Name))}.");

Step(5, "Switch a model's connection at runtime.");
ConnectionManager.Configure("archive", new ConnectionConfig { Driver = "sqlite", Database = Path.Combine(folder, "archive.db") });
ConnectionManager.GetConnection("archive").Execute("CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, status TEXT NOT NULL)");
using (User.UsingConnection("archive"))
{
    new User { Name = "Old Timer", Status = "retired" }.Save();
    Say($"Inside User.UsingConnection(\"archive\"): {User.Count()} user(s), '{User.First().Name}'.");
}

Say($"After the block, back on primary: {User.Count()} users.");
Say($"One query only, User.Using(\"archive\").All(): {User.Using("archive").All().Count} user(s).");

Step(6, "Raw SQL on any named connection.");
var result = ConnectionManager.GetConnection("primary").ExecuteRaw("SELECT COUNT(*) FROM users WHERE status = @s", new { s = "active" });
Say($"primary: {result.Scalar<long>()} active users.");
var views = ConnectionManager.GetConnection("analytics").ExecuteRaw("SELECT user_name, COUNT(*) AS views FROM page_views GROUP BY user_name ORDER BY user_name");
Say($"analytics: {string.Join(", ", views.Rows.Select(r => $"{r["user_name"]} viewed {r["views"]} page(s)"))}.");

Step(7, "Transactions: one commits, one rolls back, and a nested one is a savepoint.");
var primary = ConnectionManager.GetConnection("primary");
using (var tx = new Transaction(primary))
{
    new User { Name = "Di", Status = "active" }.Save();
    tx.Commit();
}

Say($"Committed Di: {User.Count()} users.");
using (new Transaction(primary))
{
    new User { Name = "Ghost", Status = "active" }.Save();
    Say($"Inside an uncommitted transaction the model sees {User.Count()} users...");
}

Say($"...and after it is disposed without a commit, {User.Count()} again.");
primary.Transaction(() =>
{
    new User { Name = "Eve", Status = "active" }.Save();
    try
    {
        primary.Transaction(() =>
        {
            new User { Name = "Mallory", Status = "active" }.Save();
            throw new InvalidOperationException("a nested step failed");
        });
    }
    catch (InvalidOperationException e)
    {
        Say($"The nested transaction threw ('{e.Message}') and rolled back to its savepoint.");
    }
});
Say($"The outer transaction committed Eve: users are now {string.Join(", ", User.OrderBy(u => u.Id).All().Select(u => u.Name))}.");

Step(8, "Several engines at once: SQLite, PostgreSQL and MariaDB, when servers are named, and a streaming copy between them.");
var postgresUrl = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES");
var mariadbUrl = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_MYSQL");
if (string.IsNullOrEmpty(postgresUrl) || string.IsNullOrEmpty(mariadbUrl))
{
    Say("Skipped: set SWITCHBOARD_TEST_POSTGRES and SWITCHBOARD_TEST_MYSQL (URLs) to run this step; scripts/test starts such servers.");
}
else
{
    ConnectionManager.Configure("warehouse", postgresUrl + (postgresUrl.Contains('?') ? "&" : "?") + "pool_size=2");
    var mariadb = ConnectionConfig.Parse(mariadbUrl);
    mariadb.Driver = "mariadb";
    mariadb.PoolSize = 2;
    ConnectionManager.Configure("reporting", mariadb);
    var warehouse = ConnectionManager.GetConnection("warehouse");
    var reporting = ConnectionManager.GetConnection("reporting");
    // Temporary tables live in one session: a transaction keeps every statement on one physical connection.
    warehouse.Transaction(() =>
    {
        warehouse.Execute("CREATE TEMP TABLE quickstart_views (user_name text, views int) ON COMMIT DROP");
        foreach (var row in ConnectionManager.GetConnection("analytics").ExecuteRaw("SELECT user_name, COUNT(*) AS views FROM page_views GROUP BY user_name").Rows)
        {
            warehouse.Execute("INSERT INTO quickstart_views VALUES (@u, @v)", new { u = row["user_name"], v = Convert.ToInt32(row["views"], System.Globalization.CultureInfo.InvariantCulture) });
        }

        Say($"Copied SQLite's page views into PostgreSQL: {warehouse.Scalar<long>("SELECT SUM(views) FROM quickstart_views")} views ({warehouse.Scalar<string>("SELECT version()")?.Split(',')[0]}).");
    });
    reporting.Transaction(() =>
    {
        reporting.Execute("CREATE TEMPORARY TABLE quickstart_totals (total INT)");
        reporting.Execute("INSERT INTO quickstart_totals VALUES (@t)", new { t = User.Count() });
        Say($"Wrote primary's user count into MariaDB: {reporting.Scalar<long>("SELECT total FROM quickstart_totals")} ({reporting.Scalar<string>("SELECT VERSION()")}).");
        reporting.Execute("DROP TEMPORARY TABLE quickstart_totals");
    });
    Say("Three engines, three pools, one process; each pool keeps its own connections.");

    // A streaming copy between engines: SQLite's page views into a PostgreSQL schema of the sample's own, through
    // PostgreSQL's binary COPY, in one transaction, with progress after each batch.
    var schema = "quickstart_" + Environment.ProcessId;
    warehouse.Execute($"CREATE SCHEMA {schema}");
    try
    {
        var copyTarget = ConnectionConfig.Parse(postgresUrl);
        copyTarget.Schema = schema;
        copyTarget.PoolSize = 2;
        copyTarget.Naming = NamingConvention.SnakeCase;
        ConnectionManager.Configure("warehouse_copy", copyTarget);
        ConnectionManager.GetConnection("warehouse_copy").Execute("CREATE TABLE page_views (id bigserial PRIMARY KEY, path text NOT NULL, user_name text NOT NULL, viewed_at timestamp NOT NULL)");
        ConnectionManager.GetConnection("analytics").Execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
            + "INSERT INTO page_views (path, user_name, viewed_at) SELECT '/page/' || (i % 50), 'visitor' || (i % 300), datetime('now') FROM n");
        var total = PageView.Count();
        var copied = PageView.OrderBy(v => v.Id).CopyTo("warehouse_copy", new CopyOptions
        {
            BatchSize = 5000,
            Progress = new PrintedProgress(rows => Say($"  copied {rows:N0} of {total:N0} page views ({100.0 * rows / total:0}%)")),
        });
        Say($"Copied {copied.Rows:N0} page views from SQLite to PostgreSQL in {copied.Elapsed.TotalMilliseconds:N0} ms; PostgreSQL now holds {PageView.Using("warehouse_copy").Count():N0}.");
        var next = new PageView { Path = "/after-copy", UserName = "Ann", ViewedAt = DateTime.UtcNow };
        using (PageView.UsingConnection("warehouse_copy"))
        {
            next.Save();
        }

        Say($"A view saved there afterwards gets key {next.Id}: the sequence was moved past the copied keys.");
    }
    finally
    {
        ConnectionManager.Dispose("warehouse_copy");
        warehouse.Execute($"DROP SCHEMA {schema} CASCADE");
    }
}

Step(9, "Pool statistics.");
foreach (var name in ConnectionManager.Names)
{
    var s = ConnectionManager.GetConnection(name).Statistics;
    Say($"{name,-9} size {s.Size}/{s.MaxSize}, idle {s.Idle}, in use {s.InUse}, waiting {s.Waiting}, opened {s.Opened}, closed {s.Closed}, timeouts {s.Timeouts}");
}

Step(10, "Dispose one connection, then all of them (events speak again).");
Quiet = false;
ConnectionManager.Dispose("archive");
Say($"'archive' is gone: configured names are now {string.Join(", ", ConnectionManager.Names)}.");
ConnectionManager.DisposeAll();
Say($"All disposed. Files are in {folder}.");
return 0;

static void Step(int number, string text)
{
    Console.WriteLine();
    Console.WriteLine($"{number}. {text}");
}

static void Say(string text) => Console.WriteLine("   " + text);

static void Event(string text)
{
    if (!Quiet)
    {
        Console.WriteLine("     » " + text);
    }
}

/// <summary>Progress printed as it is reported, in order (<see cref="Progress{T}"/> would post each report to the thread pool).</summary>
internal sealed class PrintedProgress(Action<long> print) : IProgress<long>
{
    public void Report(long value) => print(value);
}

/// <summary>The sample's one piece of state: whether events print.</summary>
internal static partial class Program
{
    private static bool Quiet { get; set; }
}

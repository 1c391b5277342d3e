using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Benchmarks;

/// <summary>Dapper's benchmark shape: a Posts table of 13 columns with a 2,000-character text column.</summary>
[Connection("bench")]
[Table("Posts")]
public class Post : PostRow<Post>;

/// <summary>
/// The columns of the Posts row, declared once for every model of it: each model binds the row to its own connection
/// and table (<see cref="Post"/>, <c>DeclaredPost</c>, <c>PgPost</c>).
/// </summary>
/// <typeparam name="T">The model.</typeparam>
public abstract class PostRow<T> : ActiveRecord<T>
    where T : PostRow<T>, new()
{
    public int Id { get; set; }

    public string Text { get; set; } = "";

    public DateTime CreationDate { get; set; }

    public DateTime LastChangeDate { get; set; }

    public int? Counter1 { get; set; }

    public int? Counter2 { get; set; }

    public int? Counter3 { get; set; }

    public int? Counter4 { get; set; }

    public int? Counter5 { get; set; }

    public int? Counter6 { get; set; }

    public int? Counter7 { get; set; }

    public int? Counter8 { get; set; }

    public int? Counter9 { get; set; }
}

/// <summary>The same row as a plain class, for Dapper, EF Core and the hand-written baselines.</summary>
public class PlainPost
{
    public int Id { get; set; }

    public string Text { get; set; } = "";

    public DateTime CreationDate { get; set; }

    public DateTime LastChangeDate { get; set; }

    public int? Counter1 { get; set; }

    public int? Counter2 { get; set; }

    public int? Counter3 { get; set; }

    public int? Counter4 { get; set; }

    public int? Counter5 { get; set; }

    public int? Counter6 { get; set; }

    public int? Counter7 { get; set; }

    public int? Counter8 { get; set; }

    public int? Counter9 { get; set; }

    /// <summary>What a careful developer writes by hand: ordinals, typed getters, one null check per nullable column.</summary>
    public static PlainPost Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt32(0),
        Text = reader.GetString(1),
        CreationDate = reader.GetDateTime(2),
        LastChangeDate = reader.GetDateTime(3),
        Counter1 = reader.IsDBNull(4) ? null : reader.GetInt32(4),
        Counter2 = reader.IsDBNull(5) ? null : reader.GetInt32(5),
        Counter3 = reader.IsDBNull(6) ? null : reader.GetInt32(6),
        Counter4 = reader.IsDBNull(7) ? null : reader.GetInt32(7),
        Counter5 = reader.IsDBNull(8) ? null : reader.GetInt32(8),
        Counter6 = reader.IsDBNull(9) ? null : reader.GetInt32(9),
        Counter7 = reader.IsDBNull(10) ? null : reader.GetInt32(10),
        Counter8 = reader.IsDBNull(11) ? null : reader.GetInt32(11),
        Counter9 = reader.IsDBNull(12) ? null : reader.GetInt32(12),
    };
}

/// <summary>EF Core's view of the table.</summary>
public sealed class PostsContext(DbContextOptions<PostsContext> options) : DbContext(options)
{
    public DbSet<PlainPost> Posts => Set<PlainPost>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<PlainPost>().ToTable("Posts").HasKey(p => p.Id);
}

/// <summary>Creates the benchmark database once: 5,000 posts in a SQLite file.</summary>
public static class BenchmarkData
{
    public const int Rows = 5000;

    public const string Columns = "Id, Text, CreationDate, LastChangeDate, Counter1, Counter2, Counter3, Counter4, Counter5, Counter6, Counter7, Counter8, Counter9";

    public const string FindSql = "SELECT " + Columns + " FROM Posts WHERE Id = @id";

    public const string PageSql = "SELECT " + Columns + " FROM Posts WHERE Id > @start ORDER BY Id LIMIT 1000";

    public static string Text { get; } = new('x', 2000);

    public static string Create(string name, int rows = Rows)
    {
        var folder = Path.Combine(Path.GetTempPath(), "switchboard-benchmarks");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name + ".db");
        foreach (var stale in new[] { file, file + "-wal", file + "-shm" })
        {
            File.Delete(stale);
        }

        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode = wal;";
            pragma.ExecuteNonQuery();
        }

        using var transaction = connection.BeginTransaction();
        using var create = connection.CreateCommand();
        create.CommandText = """
            CREATE TABLE Posts (Id INTEGER PRIMARY KEY AUTOINCREMENT, Text TEXT NOT NULL, CreationDate TEXT NOT NULL, LastChangeDate TEXT NOT NULL,
              Counter1 INTEGER, Counter2 INTEGER, Counter3 INTEGER, Counter4 INTEGER, Counter5 INTEGER, Counter6 INTEGER, Counter7 INTEGER, Counter8 INTEGER, Counter9 INTEGER)
            """;
        create.ExecuteNonQuery();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO Posts (Text, CreationDate, LastChangeDate, Counter1, Counter5) VALUES (@text, @created, @changed, @c1, @c5)";
        var text = insert.Parameters.Add("@text", SqliteType.Text);
        var created = insert.Parameters.Add("@created", SqliteType.Text);
        var changed = insert.Parameters.Add("@changed", SqliteType.Text);
        var c1 = insert.Parameters.Add("@c1", SqliteType.Integer);
        var c5 = insert.Parameters.Add("@c5", SqliteType.Integer);
        for (var i = 0; i < rows; i++)
        {
            text.Value = Text;
            created.Value = new DateTime(2020, 1, 1).AddMinutes(i);
            changed.Value = new DateTime(2021, 1, 1).AddMinutes(i);
            c1.Value = i % 3 == 0 ? DBNull.Value : i;
            c5.Value = i;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return file;
    }

    /// <summary>Configures Switchboard's connection for the benchmarks on the static facade (the path applications use).</summary>
    public static void ConfigureSwitchboard(string file, string name = "bench") =>
        ConnectionManager.Configure(name, new ConnectionConfig { Driver = "sqlite", Database = file, PoolSize = 4, PoolRecycle = null }, replace: true);
}

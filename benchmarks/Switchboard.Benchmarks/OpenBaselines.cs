using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Switchboard.Benchmarks;

/// <summary>
/// What the baselines of a read scenario share: a fresh benchmark database that Switchboard is configured on, one open
/// connection, a prepared command for the hand-written code, and an EF Core context over that same connection.
/// </summary>
public sealed class OpenBaselines : IDisposable
{
    public OpenBaselines(string name, string preparedSql, string parameterName)
    {
        var file = BenchmarkData.Create(name);
        BenchmarkData.ConfigureSwitchboard(file);
        Connection = new SqliteConnection($"Data Source={file};Pooling=False");
        Connection.Open();
        Prepared = new SqliteCommand(preparedSql, Connection);
        PreparedParameter = Prepared.Parameters.Add(parameterName, SqliteType.Integer);
        Prepared.Prepare();
        Context = new PostsContext(new DbContextOptionsBuilder<PostsContext>().UseSqlite(Connection).Options);
    }

    public SqliteConnection Connection { get; }

    public SqliteCommand Prepared { get; }

    public SqliteParameter PreparedParameter { get; }

    public PostsContext Context { get; }

    public void Dispose()
    {
        Context.Dispose();
        Prepared.Dispose();
        Connection.Dispose();
        ConnectionManager.DisposeAll();
    }
}

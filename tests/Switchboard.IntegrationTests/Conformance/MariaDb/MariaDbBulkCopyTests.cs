using Switchboard.IntegrationTests.Conformance.Engines;
using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance.MariaDb;

/// <summary>MariaDB's stores with <c>local_infile: true</c>, so that copies into them go through MySqlBulkCopy (LOAD DATA LOCAL).</summary>
public sealed class MariaDbLocalInfileFixture() : EngineFixture(new MariaDbEngine())
{
    protected override void Configure(ConnectionConfig config)
    {
        base.Configure(config);
        config.LocalInfile = true;
    }
}

/// <summary>The copy suite again, through MySqlBulkCopy, plus proof that LOAD DATA ran.</summary>
[Collection(nameof(CopyTestsCollection))]
public sealed class MariaDbBulkCopyTests(MariaDbLocalInfileFixture fixture) : CopyTests<MariaDbLocalInfileFixture>(fixture)
{
    [Fact]
    public void CopyTo_WithLocalInfile_LoadsEachBatchWithLoadData()
    {
        var sqlite = Fixture.Registry.Configure("copy_sqlite_load", new ConnectionConfig { Driver = "sqlite", Database = Path.Combine(Path.GetTempPath(), "switchboard-copy", Guid.NewGuid().ToString("N") + ".db"), PoolSize = 1 }, replace: true);
        foreach (var statement in new SqliteEngine().SuiteTables)
        {
            sqlite.Execute(statement);
        }

        sqlite.Execute("INSERT INTO gadgets (id, name, status) VALUES (1, 'a', 's'), (2, 'b', 's'), (3, 'c', 's')");
        var before = LoadsSoFar();

        var result = Gadget.Using("copy_sqlite_load").CopyTo(EngineFixture.PrimaryName, new CopyOptions { BatchSize = 2 });

        Assert.Equal(3, result.Rows);
        Assert.True(LoadsSoFar() - before >= 2, "The copy did not run LOAD DATA once per batch.");
        Assert.Equal(["a", "b", "c"], Gadget.OrderBy(g => g.Id).All().Select(g => g.Name));
    }

    private long LoadsSoFar() => Convert.ToInt64(Primary.ExecuteRaw("SHOW GLOBAL STATUS LIKE 'Com_load'").Rows[0]["Value"], System.Globalization.CultureInfo.InvariantCulture);
}

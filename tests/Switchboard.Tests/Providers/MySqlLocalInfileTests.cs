using MySqlConnector;

namespace Switchboard.Tests.Providers;

/// <summary>The <c>local_infile</c> key: LOAD DATA LOCAL (MySqlBulkCopy in a copy) only when the configuration opts in.</summary>
public class MySqlLocalInfileTests
{
    [Fact]
    public void ConnectionString_AllowsLoadDataLocal_OnlyWhenLocalInfileIsTrue()
    {
        static bool Allowed(bool? localInfile) => new MySqlConnectionStringBuilder(Switchboard.MySql.MySqlDataSource.BuildConnectionString(
            new ConnectionConfig { Driver = "mysql", Host = "db", Database = "shop", Username = "app", LocalInfile = localInfile }, "shop")).AllowLoadLocalInfile;

        Assert.False(Allowed(null));
        Assert.False(Allowed(false));
        Assert.True(Allowed(true));
    }

    [Fact]
    public void LocalInfile_FromTheDictionary_OnMariaDb_IsAccepted_AndOnPostgres_IsRefusedByName()
    {
        using var registry = new ConnectionRegistry();

        var maria = registry.Configure("maria", new Dictionary<string, object?> { ["driver"] = "mariadb", ["host"] = "db", ["database"] = "shop", ["local_infile"] = true });
        var refused = Assert.Throws<ConfigurationException>(() =>
            registry.Configure("pg", new Dictionary<string, object?> { ["driver"] = "postgresql", ["host"] = "db", ["database"] = "shop", ["local_infile"] = true }));

        Assert.True(maria.Config.LocalInfile);
        Assert.Contains("local_infile", refused.Message, StringComparison.Ordinal);
    }
}

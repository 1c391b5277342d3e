using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance.PostgreSql;

/// <summary>What only PostgreSQL has: the session settings the provider makes, and RETURNING in raw SQL.</summary>
public sealed class PostgreSqlSessionTests(PostgreSqlFixture fixture) : ConformanceTests<PostgreSqlFixture>(fixture)
{
    [Fact]
    public void Session_HasTheSchemaApplicationNameAndUtcZoneConfigured()
    {
        var config = Primary.Config;
        config.Schema = Fixture.RunId + " Other";
        config.ApplicationName = "billing";
        var other = Fixture.Registry.Configure("schema", config, replace: true);
        Primary.Execute($"CREATE SCHEMA \"{config.Schema}\"");
        try
        {
            Assert.Equal(Fixture.RunId + "_p", Primary.Scalar<string>("SELECT current_schema()"));
            Assert.Equal("Switchboard:primary", Primary.Scalar<string>("SELECT current_setting('application_name')"));
            Assert.Equal("UTC", Primary.Scalar<string>("SELECT current_setting('TimeZone')"));
            Assert.Equal(config.Schema, other.Scalar<string>("SELECT current_schema()"));
            Assert.Equal("billing", other.Scalar<string>("SELECT current_setting('application_name')"));
        }
        finally
        {
            Fixture.Registry.Dispose("schema");
            Primary.Execute($"DROP SCHEMA \"{config.Schema}\"");
        }
    }

    [Fact]
    public void ExecuteRaw_WithReturning_ReturnsTheKeyAsARow()
    {
        var result = Primary.ExecuteRaw("INSERT INTO gadgets (name, status) VALUES (@name, 'raw') RETURNING id", new { name = "returned" });

        Assert.Equal(1, result.AffectedRows);
        Assert.Equal(Gadget.Where(g => g.Name == "returned").First().Id, result.Scalar<long>());
    }
}

namespace Switchboard.IntegrationTests.Conformance.MariaDb;

/// <summary>What only MySQL and MariaDB need: the session's character set is utf8mb4 unless configured otherwise.</summary>
public sealed class MariaDbSessionTests(MariaDbFixture fixture) : ConformanceTests<MariaDbFixture>(fixture)
{
    [Fact]
    public void Session_UsesUtf8mb4_AndTheStoreAsItsDatabase()
    {
        Assert.Equal("utf8mb4", Primary.Scalar<string>("SELECT @@character_set_connection"));
        Assert.Equal("utf8mb4", Primary.Scalar<string>("SELECT @@character_set_client"));
        Assert.Equal(Fixture.RunId + "_p", Primary.Scalar<string>("SELECT DATABASE()"));
        Assert.Equal("mariadb", Primary.Driver);
    }
}

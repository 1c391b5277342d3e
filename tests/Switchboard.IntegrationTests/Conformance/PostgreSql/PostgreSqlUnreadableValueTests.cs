namespace Switchboard.IntegrationTests.Conformance.PostgreSql;

/// <summary>
/// A value the driver cannot turn into a CLR value (a numeric beyond <see cref="decimal"/>) fails as a statement error
/// that names the connection and the fix, not as the driver's bare <see cref="OverflowException"/>; the connection stays
/// in the pool.
/// </summary>
public sealed class PostgreSqlUnreadableValueTests(PostgreSqlFixture fixture) : ConformanceTests<PostgreSqlFixture>(fixture)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NumericBeyondDecimal_FailsAsAStatementErrorNamingTheConnection(bool async)
    {
        const string sql = "SELECT 1e40::numeric AS huge";

        var error = await Assert.ThrowsAsync<SwitchboardException>(async () =>
        {
            _ = async ? await Primary.ExecuteRawAsync(sql, cancellationToken: Cancel) : Primary.ExecuteRaw(sql);
        });

        Assert.Equal(Primary.Name, error.ConnectionName);
        // The driver's exception stays inside (a redacted copy of it when its text shares a run of the password's characters).
        var inner = error.InnerException is RedactedDriverException redacted ? redacted.DriverExceptionType : error.InnerException?.GetType().FullName;
        Assert.Equal(typeof(OverflowException).FullName, inner);
        Assert.Contains("could not be read", error.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await Primary.ScalarAsync<long>("SELECT 1", cancellationToken: Cancel));
    }
}

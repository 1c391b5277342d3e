using Npgsql;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Providers;

/// <summary>
/// Issue 9 item 4: errors that PgBouncer (and other poolers) send as 08P01 are told as what they are, with the key to
/// change, rather than as a lost connection or a bad password.
/// </summary>
public class PostgreSqlErrorMessageTests
{
    [Theory]
    [InlineData("unsupported startup parameter: search_path")]
    [InlineData("unsupported startup parameter in options: search_path")]
    public void ConnectFailure_StartupParameterRefused_NamesPgBouncersSettingAndTheSchemaKey(string refusal)
    {
        using var registry = new ConnectionRegistry();
        var connection = registry.Configure("bounced", Config());

        var error = connection.Pool.ConnectFailed(new PostgresException(refusal, "FATAL", "FATAL", "08P01"));

        Assert.Contains("ignore_startup_parameters", error.Message, StringComparison.Ordinal);
        Assert.Contains("schema", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Check the host", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void ConnectFailure_PoolerLoginRetry_SaysThePoolerCannotReachTheServer_AndIsTransient()
    {
        using var registry = new ConnectionRegistry();
        var connection = registry.Configure("bounced", Config());

        var error = connection.Pool.ConnectFailed(new PostgresException("server login has been failing, try again later (server_login_retry)", "FATAL", "FATAL", "08P01"));

        Assert.Contains("server_login_retry", error.Message, StringComparison.Ordinal);
        Assert.Contains("pooler", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Check the host, port, database and credentials configured for 'bounced'", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient);
    }

    [Theory]
    [InlineData("server login has been failing, try again later (server_login_retry)", "pooler", true)]
    [InlineData("query_wait_timeout", "pooler", true)]
    [InlineData("protocol violation: invalid message length", "protocol violation", false)]
    public async Task StatementFailure_08P01_IsNotReportedAsALostConnection(string text, string cause, bool transient)
    {
        var url = TestServers.Require(TestServers.PostgresVariable);
        using var registry = new ConnectionRegistry();
        var config = ConnectionConfig.Parse(url);
        config.Driver = "postgresql";
        var connection = registry.Configure("bounced", config);
        var lease = await connection.LeaseAsync(async: true, TestContext.Current.CancellationToken);
        Exception translated;
        try
        {
            translated = connection.Translate(new PostgresException(text, "FATAL", "FATAL", "08P01"), lease, "SELECT 1", CancellationToken.None);
        }
        finally
        {
            lease.Release();
        }

        var error = Assert.IsType<ConnectionException>(translated);
        Assert.DoesNotContain("was lost while running a statement", error.Message, StringComparison.Ordinal);
        Assert.Contains(cause, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("08P01", error.Message, StringComparison.Ordinal);
        Assert.Equal(transient, error.IsTransient);

        // The server closes the session after a FATAL error: the connection is discarded, never pooled again.
        Assert.Equal(0, connection.Statistics.Idle);
    }

    private static ConnectionConfig Config() => new()
    {
        Driver = "postgresql",
        Host = "pgbouncer.internal",
        Port = 6432,
        Database = "app",
        Username = "app",
        Password = "pw",
        Schema = "sales",
    };
}

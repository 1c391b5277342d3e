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
    public async Task Connect_ThroughAPoolerRefusingSearchPath_SaysSoThroughNpgsql_SyncAndAsync()
    {
        // PgBouncer cannot run here: a listener answers the startup packet as PgBouncer does (FATAL 08P01) and hangs up.
        using var bouncer = new RefusingPooler("unsupported startup parameter: search_path");
        using var registry = new ConnectionRegistry();
        var connection = registry.Configure("bounced", Config(c => (c.Host, c.Port, c.ConnectTimeout) = ("127.0.0.1", bouncer.Port, TimeSpan.FromSeconds(5))));

        var sync = Assert.Throws<ConnectionException>(() => connection.Execute("SELECT 1"));
        var async = await Assert.ThrowsAsync<ConnectionException>(() => connection.ExecuteAsync("SELECT 1", cancellationToken: TestContext.Current.CancellationToken));

        foreach (var error in new[] { sync, async })
        {
            Assert.Equal("08P01", Assert.IsType<PostgresException>(error.InnerException).SqlState);
            Assert.Contains("ignore_startup_parameters", error.Message, StringComparison.Ordinal);
            Assert.Contains("schema key", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Check the host", error.Message, StringComparison.Ordinal);
            Assert.False(error.IsTransient);
        }

        Assert.Equal(0, connection.Statistics.Size);
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

    private static ConnectionConfig Config(Action<ConnectionConfig>? change = null)
    {
        var config = new ConnectionConfig
        {
            Driver = "postgresql",
            Host = "pgbouncer.internal",
            Port = 6432,
            Database = "app",
            Username = "app",
            Password = "pw",
            Schema = "sales",
        };
        change?.Invoke(config);
        return config;
    }

    /// <summary>Speaks just enough of the PostgreSQL protocol to refuse every startup packet with FATAL 08P01, as PgBouncer does.</summary>
    private sealed class RefusingPooler : IDisposable
    {
        private const int SslRequest = 80877103;
        private const int GssEncRequest = 80877104;
        private readonly System.Net.Sockets.TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _serving;

        public RefusingPooler(string message)
        {
            _listener.Start();
            Port = ((System.Net.IPEndPoint)_listener.LocalEndpoint).Port;
            _serving = Task.Run(() => ServeAsync(message));
        }

        public int Port { get; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                _serving.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // Stopping the listener ends the accept loop with an exception.
            }

            _stop.Dispose();
        }

        private async Task ServeAsync(string message)
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                try
                {
                    await RefuseAsync(client.GetStream(), message);
                }
                catch (IOException)
                {
                    // The client hung up first: serve the next one.
                }
            }
        }

        private async Task RefuseAsync(System.Net.Sockets.NetworkStream stream, string message)
        {
            while (true)
            {
                var header = new byte[8];
                await stream.ReadExactlyAsync(header, _stop.Token);
                var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header);
                var code = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
                if (code is SslRequest or GssEncRequest)
                {
                    await stream.WriteAsync("N"u8.ToArray(), _stop.Token);
                    continue;
                }

                await stream.ReadExactlyAsync(new byte[length - 8], _stop.Token);
                await stream.WriteAsync(ErrorResponse(message), _stop.Token);
                return;
            }
        }

        private static byte[] ErrorResponse(string message)
        {
            var fields = new List<byte>();
            foreach (var (field, value) in new[] { ('S', "FATAL"), ('V', "FATAL"), ('C', "08P01"), ('M', message) })
            {
                fields.Add((byte)field);
                fields.AddRange(System.Text.Encoding.UTF8.GetBytes(value));
                fields.Add(0);
            }

            fields.Add(0);
            var packet = new byte[5 + fields.Count];
            packet[0] = (byte)'E';
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(1), 4 + fields.Count);
            fields.CopyTo(packet, 5);
            return packet;
        }
    }
}

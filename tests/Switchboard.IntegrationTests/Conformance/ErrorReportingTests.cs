using System.Collections;
using System.Text;
using Microsoft.Extensions.Logging;
using Switchboard.IntegrationTests.Conformance.Models;
using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// Errors as the user meets them (issue 10 item 1, issue 8 "Messages", issue 9 item 3): no exception text, inner
/// exception, data or log record carries any part of the password, even where the server echoes it; a failed
/// statement names its connection and the missing parameter; a disposed connection tells one story.
/// </summary>
/// <remarks>
/// The password is also put where the server repeats it, in the user name ("password authentication failed for user
/// ..."; "Access denied for user ...") and the host name, so that a leak cannot hide behind a server that stays quiet.
/// </remarks>
public abstract class ErrorReportingTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    private const string Secret = "Pw9hunter2Sec";

    [Fact]
    public async Task WrongPassword_NoExceptionTextOrLogCarriesThePassword()
    {
        if (!Engine.IsServer)
        {
            // SQLite has no password: configuring one is refused, and that refusal must not repeat it.
            var refused = Assert.Throws<ConfigurationException>(() => new ConnectionRegistry().Configure("pw", Primary.Config.With(c => c.Password = Secret)));
            AssertNoFragment(Everything(refused));
            return;
        }

        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var registry = new ConnectionRegistry(factory);
        Engine.Register(registry);
        var connection = registry.Configure("leaky", Primary.Config.With(c => (c.Username, c.Password) = ("sbleak_" + Secret, Secret)));

        var sync = Assert.Throws<ConnectionException>(() => connection.Scalar<int>("SELECT 1"));
        var async = await Assert.ThrowsAsync<ConnectionException>(() => connection.ScalarAsync<int>("SELECT 1", cancellationToken: Cancel));
        var health = Assert.Single(await registry.CheckHealthAsync(Cancel));

        foreach (var error in new[] { sync, async })
        {
            Assert.Equal("leaky", error.ConnectionName);
            Assert.NotNull(error.InnerException);
            Assert.Contains("***", error.Message, StringComparison.Ordinal);
            AssertNoFragment(Everything(error));
        }

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        AssertNoFragment(health.Error + connection + registry.GetConnection("leaky").Config);
        AssertNoFragment(Logged(logs));
    }

    [Fact]
    public async Task WrongHostWithAPassword_NoExceptionTextOrLogCarriesThePassword()
    {
        RequireServer();
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var registry = new ConnectionRegistry(factory);
        Engine.Register(registry);
        var connection = registry.Configure("lost", Primary.Config.With(c =>
        {
            (c.Host, c.Password, c.ConnectTimeout) = ($"sbleak-{Secret}.invalid", Secret, TimeSpan.FromSeconds(3));
        }));

        var sync = Assert.Throws<ConnectionException>(() => connection.Execute("SELECT 1"));
        var async = await Assert.ThrowsAsync<ConnectionException>(() => connection.ExecuteAsync("SELECT 1", cancellationToken: Cancel));

        foreach (var error in new[] { sync, async })
        {
            Assert.Equal("lost", error.ConnectionName);
            Assert.Contains(".invalid", error.Message, StringComparison.Ordinal);
            AssertNoFragment(Everything(error));
        }

        AssertNoFragment(connection.ToString() + Logged(logs));
    }

    [Fact]
    public async Task FailedBackgroundFill_LogsNoPartOfThePassword()
    {
        RequireServer();
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using (var registry = new ConnectionRegistry(factory))
        {
            Engine.Register(registry);
            registry.Configure("fill", Primary.Config.With(c =>
            {
                (c.Username, c.Password) = ("sbleak_" + Secret, Secret);
                (c.MinIdle, c.PoolSize, c.IdleTimeout) = (1, 2, TimeSpan.FromSeconds(1));
            }));

            // The pool is made on first use (which fails here); from then on housekeeping runs every 100 ms with this idle
            // timeout, and tries to open min_idle connections each time.
            await Assert.ThrowsAnyAsync<SwitchboardException>(() => registry.GetConnection("fill").ExecuteAsync("SELECT 1", cancellationToken: Cancel));
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!logs.Entries.Any(e => e.EventId.Id == 1007) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, Cancel);
            }
        }

        var fill = logs.Entries.First(e => e.EventId.Id == 1007);
        Assert.NotNull(fill.Exception);
        Assert.Contains("fill", fill.Message, StringComparison.Ordinal);
        AssertNoFragment(Logged(logs));
    }

    [Fact]
    public async Task MissingParameter_FailsNamingTheConnectionAndTheParameter()
    {
        var sql = $"SELECT {Q("id")} FROM {Q("gadgets")} WHERE {Q("name")} = {P("given")} OR {Q("status")} = {P("absentee")}";

        var sync = Assert.ThrowsAny<SwitchboardException>(() => Primary.ExecuteRaw(sql, new { given = "x" }));
        var async = await Assert.ThrowsAnyAsync<SwitchboardException>(() => Primary.ExecuteRawAsync(sql, new { given = "x" }, Cancel));

        foreach (var error in new[] { sync, async })
        {
            Assert.Equal(EngineFixture.PrimaryName, error.ConnectionName);
            Assert.Contains("'primary'", error.Message, StringComparison.Ordinal);
            Assert.Contains("no value named 'absentee' was given", error.Message, StringComparison.Ordinal);
            Assert.NotNull(error.InnerException);
        }

        // An ordinary error: the connection stays usable.
        Assert.Equal(0, Primary.Scalar<int>($"SELECT COUNT(*) FROM {Q("gadgets")}"));
    }

    [Fact]
    public async Task AfterDispose_RawSqlAndModels_SayDisposedWithTheSameType_UntilConfiguredAgain()
    {
        await using var registry = new ConnectionRegistry();
        Engine.Register(registry);
        var connection = registry.Configure(EngineFixture.PrimaryName, Primary.Config);
        using (registry.Activate())
        {
            Assert.Equal(0L, Gadget.Count());
            registry.DisposeAll();

            var raw = Assert.ThrowsAny<SwitchboardException>(() => connection.Execute("SELECT 1"));
            var model = Assert.ThrowsAny<SwitchboardException>(() => Gadget.Count());
            var modelAsync = await Assert.ThrowsAnyAsync<SwitchboardException>(() => Gadget.CountAsync(Cancel));
            var byName = Assert.ThrowsAny<SwitchboardException>(() => registry.GetConnection(EngineFixture.PrimaryName));

            foreach (var error in new[] { raw, model, modelAsync, byName })
            {
                Assert.IsType<ConnectionException>(error);
                Assert.Contains("'primary' has been disposed", error.Message, StringComparison.Ordinal);
                Assert.Equal(EngineFixture.PrimaryName, error.ConnectionName);
                Assert.False(error.IsTransient);
            }

            registry.Configure(EngineFixture.PrimaryName, Primary.Config);
            Assert.Equal(0L, Gadget.Count());
            registry.Dispose(EngineFixture.PrimaryName);
            Assert.Contains("has been disposed", Assert.IsType<ConnectionException>(Assert.ThrowsAny<SwitchboardException>(() => Gadget.Count())).Message, StringComparison.Ordinal);

            registry.Configure(EngineFixture.PrimaryName, Primary.Config);
            Assert.True(await registry.DisposeAsync(EngineFixture.PrimaryName, TimeSpan.FromSeconds(1), Cancel));
            Assert.IsType<ConnectionException>(await Assert.ThrowsAnyAsync<SwitchboardException>(() => Gadget.CountAsync(Cancel)));
        }

        var never = Assert.IsType<ConfigurationException>(Assert.ThrowsAny<SwitchboardException>(() => registry.GetConnection("never")));
        Assert.Contains("No connection named 'never'", never.Message, StringComparison.Ordinal);
    }

    private void RequireServer()
    {
        if (!Engine.IsServer)
        {
            Assert.Skip("SQLite has no host and no password: the refusal to configure one is WrongPassword_NoExceptionTextOrLogCarriesThePassword.");
        }
    }

    /// <summary>Everything an exception shows: ToString (inner exceptions and stacks included) and every Data entry down the chain.</summary>
    private static string Everything(Exception exception)
    {
        var text = new StringBuilder(exception.ToString());
        for (var current = exception; current is not null; current = current.InnerException)
        {
            foreach (DictionaryEntry entry in current.Data)
            {
                text.Append('\n').Append(entry.Key).Append('=').Append(entry.Value);
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    text.Append('\n').Append(Everything(inner));
                }
            }
        }

        return text.ToString();
    }

    private static string Logged(CapturingLoggerProvider logs) =>
        string.Join('\n', logs.Entries.Select(e => e.Message + (e.Exception is null ? "" : "\n" + Everything(e.Exception))));

    private static void AssertNoFragment(string text)
    {
        for (var length = 4; length <= Secret.Length; length++)
        {
            for (var start = 0; start + length <= Secret.Length; start++)
            {
                var fragment = Secret.Substring(start, length);
                Assert.False(text.Contains(fragment, StringComparison.Ordinal), $"'{fragment}' of the password appeared in:\n{text}");
            }
        }
    }
}

/// <summary>Changes a copy of a configuration in one expression.</summary>
internal static class ConfigCopy
{
    public static ConnectionConfig With(this ConnectionConfig config, Action<ConnectionConfig> change)
    {
        change(config);
        return config;
    }
}

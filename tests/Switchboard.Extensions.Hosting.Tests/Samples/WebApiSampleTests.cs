using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Switchboard.Extensions.Hosting.Tests.Support;

namespace Switchboard.Extensions.Hosting.Tests.Samples;

/// <summary>The web sample, run in memory with its own appsettings.json, its SQLite file in a temporary folder.</summary>
[Collection(DefaultRegistryCollection.Name)]
public sealed class WebApiSampleTests
{
    private static WebApplicationFactory<Program> Start(string folder, params (string Key, string? Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web => web.ConfigureAppConfiguration((_, config) =>
            config.AddInMemoryCollection(
                new Dictionary<string, string?> { ["Switchboard:Connections:main:database"] = Path.Combine(folder, "webapi.db") }
                    .Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))))));

    [Fact]
    public async Task Notes_PostThenGet_StoredInSqliteThroughTheModel()
    {
        var folder = HostFixture.NewFolder();
        await using var factory = new SampleApp(Start(folder));
        using var client = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var created = await client.PostAsJsonAsync("/notes", new { text = "first" }, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetInt64();

        var one = await client.GetFromJsonAsync<JsonElement>($"/notes/{id}", ct);
        Assert.Equal("first", one.GetProperty("text").GetString());
        var all = await client.GetFromJsonAsync<JsonElement>("/notes", ct);
        Assert.Equal(["first"], all.EnumerateArray().Select(n => n.GetProperty("text").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/notes", new { text = "" }, ct)).StatusCode);
    }

    [Fact]
    public async Task Health_ReportsEveryConnection_AsJson()
    {
        var folder = HostFixture.NewFolder();
        await using var factory = new SampleApp(Start(folder));
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var main = body.GetProperty("entries").GetProperty("switchboard:main");
        Assert.Equal("Healthy", main.GetProperty("status").GetString());
        Assert.Equal(5, main.GetProperty("data").GetProperty("pool_size").GetInt32());
        Assert.Contains("sqlite", main.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Visits_CountedOnPostgreSql_TheSecondEngine()
    {
        TestServers.Require(TestServers.PostgresVariable);
        var folder = HostFixture.NewFolder();
        await using var factory = new SampleApp(Start(folder));
        using var client = factory.CreateClient();
        var page = "page-" + Guid.NewGuid().ToString("N");
        var ct = TestContext.Current.CancellationToken;

        var first = await (await client.PostAsync($"/visits/{page}", null, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        var second = await (await client.PostAsync($"/visits/{page}", null, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        var engines = await client.GetFromJsonAsync<JsonElement>("/engines", ct);

        Assert.Equal(1, first.GetProperty("count").GetInt64());
        Assert.Equal(2, second.GetProperty("count").GetInt64());
        Assert.Equal(
            ["analytics:postgresql", "main:sqlite"],
            engines.EnumerateArray().Select(e => e.GetProperty("name").GetString() + ":" + e.GetProperty("driver").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Tracing_ARequestThatQueries_ExportsTheStatementSpanInsideTheRequestSpan()
    {
        var spans = new List<Activity>();
        var folder = HostFixture.NewFolder();
        await using var factory = new SampleApp(Start(folder).WithWebHostBuilder(web => web.ConfigureServices(services =>
            services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)))));
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/notes", new { text = "traced" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Activity[] statements;
        lock (spans)
        {
            statements = [.. spans.Where(s => s.Source.Name == SwitchboardDiagnostics.Name && Equals(s.GetTagItem(SwitchboardDiagnostics.PoolNameTag), "main"))];
        }

        var insert = Assert.Single(statements, s => (s.GetTagItem("db.query.text") as string)?.StartsWith("INSERT", StringComparison.Ordinal) == true);
        Assert.NotEqual(default, insert.ParentSpanId);
    }

    [Fact]
    public async Task Stop_DisposesTheConnections_SoTheNextHostCanConfigureThemAgain()
    {
        var folder = HostFixture.NewFolder();
        ILoggerFactory hostLogging;
        await using (var factory = new SampleApp(Start(folder)))
        {
            using var client = factory.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/notes", TestContext.Current.CancellationToken)).StatusCode);
            hostLogging = factory.Services.GetRequiredService<ILoggerFactory>();
            Assert.Same(hostLogging, ConnectionRegistry.Default.LoggerFactory);
        }

        Assert.False(ConnectionRegistry.Default.IsConfigured("main"));
        Assert.NotSame(hostLogging, ConnectionRegistry.Default.LoggerFactory);
    }
    [Fact]
    public async Task CausalCookie_OnSqliteAlone_IsNeverSent()
    {
        var folder = HostFixture.NewFolder();
        await using var factory = new SampleApp(Start(folder));
        using var client = factory.CreateClient();

        var created = await client.PostAsJsonAsync("/notes", new { text = "no replicas" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False(created.Headers.TryGetValues("Set-Cookie", out _), "without replicas there is no causal token");
    }

    [Fact]
    public async Task CausalCookie_WithAReplica_IsSentAfterAWrite_AndTheNextRequestReadsTheWrite()
    {
        var folder = HostFixture.NewFolder();
        var replica = Path.Combine(folder, "webapi-replica.db");
        await using (var seed = new ConnectionRegistry())
        {
            // A SQLite "replica" is another file, which nothing replicates to: only the table is there.
            seed.Configure("seed", new Dictionary<string, object?> { ["driver"] = "sqlite", ["database"] = replica }).Execute(WebApi.Note.CreateTable);
        }

        await using var factory = new SampleApp(Start(folder, ("Switchboard:Connections:main:replicas:0:database", replica), ("Switchboard:Connections:main:sticky_window", "60")));
        using var client = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var created = await client.PostAsJsonAsync("/notes", new { text = "mine" }, ct);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetInt64();
        var cookie = Assert.Single(created.Headers.GetValues("Set-Cookie"), c => c.StartsWith(WebApi.CausalCookie.Name + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        var token = cookie[(WebApi.CausalCookie.Name.Length + 1)..cookie.IndexOf(';', StringComparison.Ordinal)];
        using (ConnectionManager.ContinueAfter(token))
        {
            // Switchboard reads back its own token.
        }

        using var read = new HttpRequestMessage(HttpMethod.Get, $"/notes/{id}");
        read.Headers.Add("Cookie", $"{WebApi.CausalCookie.Name}={token}");
        var found = await client.SendAsync(read, ct);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        // A request that wrote nothing carries the same writes forward, no newer ones.
        var again = Assert.Single(found.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"{WebApi.CausalCookie.Name}={token};", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CausalCookie_NotMadeBySwitchboard_IsIgnoredAndDeleted_NotAnError()
    {
        var folder = HostFixture.NewFolder();
        await using var factory = new SampleApp(Start(folder));
        using var client = factory.CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/notes");
        request.Headers.Add("Cookie", $"{WebApi.CausalCookie.Name}=not-a-token");
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(WebApi.CausalCookie.Name + "=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
    }
}

using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Switchboard.Extensions.Hosting.Tests.Support;

namespace Switchboard.Extensions.Hosting.Tests;

public sealed class SwitchboardInstrumentationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tracing_AddSwitchboardInstrumentation_ExportsOneClientSpanPerStatement(bool async)
    {
        var spans = new List<Activity>();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSwitchboardInstrumentation().AddInMemoryExporter(spans).Build();
        await using var host = HostFixture.Create(Sqlite("traced_" + Guid.NewGuid().ToString("N")[..8]));
        var connection = host.Registry.Names.Select(host.Registry.GetConnection).Single();

        var value = async
            ? await connection.ScalarAsync<long>("SELECT 6 * 7", cancellationToken: TestContext.Current.CancellationToken)
            : connection.Scalar<long>("SELECT 6 * 7");
        tracer.ForceFlush();

        Assert.Equal(42, value);
        // Other tests run statements at the same time; this connection's name is unique.
        var span = Assert.Single(Snapshot(spans), s => Equals(s.GetTagItem(SwitchboardDiagnostics.PoolNameTag), connection.Name));
        Assert.Equal(SwitchboardDiagnostics.Name, span.Source.Name);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("sqlite", span.GetTagItem("db.system.name"));
        Assert.Equal("SELECT 6 * 7", span.GetTagItem("db.query.text"));
    }

    [Fact]
    public async Task Metrics_AddSwitchboardInstrumentation_ExportsThePoolInstruments()
    {
        var metrics = new List<Metric>();
        using var meter = Sdk.CreateMeterProviderBuilder().AddSwitchboardInstrumentation().AddInMemoryExporter(metrics).Build();
        var name = "metered_" + Guid.NewGuid().ToString("N")[..8];
        await using var host = HostFixture.Create(Sqlite(name));
        var connection = host.Registry.GetConnection(name);

        Assert.Equal(1, connection.Scalar<long>("SELECT 1"));
        meter.ForceFlush();

        Assert.Contains(metrics, m => m.Name == SwitchboardDiagnostics.ConnectionMax && m.MeterName == SwitchboardDiagnostics.Name);
        var count = metrics.First(m => m.Name == SwitchboardDiagnostics.ConnectionCount);
        var pools = new List<object?>();
        foreach (ref readonly var point in count.GetMetricPoints())
        {
            foreach (var tag in point.Tags)
            {
                if (tag.Key == SwitchboardDiagnostics.PoolNameTag)
                {
                    pools.Add(tag.Value);
                }
            }
        }

        Assert.Contains(name, pools);
    }

    private static Dictionary<string, string?> Sqlite(string name) => new()
    {
        [$"Switchboard:Connections:{name}:driver"] = "sqlite",
        [$"Switchboard:Connections:{name}:database"] = "{folder}/" + name + ".db",
    };

    /// <summary>A copy of the exported spans: other tests' statements are exported into the same list from their own threads.</summary>
    private static Activity[] Snapshot(List<Activity> spans)
    {
        while (true)
        {
            try
            {
                return [.. spans.ToArray().Where(s => s is not null)];
            }
            catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
            {
                // The list grew while it was being copied: copy it again.
            }
        }
    }
}

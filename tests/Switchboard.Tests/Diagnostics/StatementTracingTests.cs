using System.Collections.Concurrent;
using System.Diagnostics;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Diagnostics;

/// <summary>The Switchboard ActivitySource: one client span per statement, with the database attributes and no parameter values.</summary>
public class StatementTracingTests
{
    [Fact]
    public void EachStatement_IsAClientSpan_WithTheDatabaseAttributes_AndFailuresAreMarked()
    {
        using var db = new TestDatabase();
        var name = "traced-" + Guid.NewGuid().ToString("N")[..8];
        var connection = db.Sqlite(name);
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SwitchboardDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem(SwitchboardDiagnostics.PoolNameTag), name))
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        connection.Execute("CREATE TABLE t (secret TEXT)");
        connection.Execute("INSERT INTO t VALUES (@secret)", new { secret = "never-in-a-span" });
        Assert.Throws<StatementException>(() => connection.Execute("SELECT * FROM missing"));

        Assert.Equal(3, spans.Count);
        var insert = spans.ElementAt(1);
        Assert.Equal(ActivityKind.Client, insert.Kind);
        Assert.Equal("sqlite", insert.GetTagItem("db.system.name"));
        Assert.Equal(db.File(name + ".db"), insert.GetTagItem("db.namespace"));
        Assert.Equal("INSERT INTO t VALUES (@secret)", insert.GetTagItem("db.query.text"));
        Assert.DoesNotContain(insert.TagObjects, t => Equals(t.Value, "never-in-a-span"));
        Assert.Equal(ActivityStatusCode.Error, spans.Last().Status);
        Assert.Equal(ActivityStatusCode.Unset, insert.Status);
    }
}

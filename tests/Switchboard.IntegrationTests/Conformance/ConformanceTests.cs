using Switchboard.Tests.Support;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// The base of every conformance suite: the engine's fixture, its registry active for models in the test's flow, and the
/// suite's tables emptied before each test. A test skips (fails under CI) when the engine's server is missing.
/// </summary>
public abstract class ConformanceTests<TFixture> : IClassFixture<TFixture>, IDisposable
    where TFixture : EngineFixture
{
    private readonly IDisposable _activation;

    protected ConformanceTests(TFixture fixture)
    {
        fixture.Require();
        if (TestContext.Current.TestMethod?.MethodName is { } test && fixture.Engine.SkipReason(test) is { } reason)
        {
            Assert.Skip(reason);
        }

        Fixture = fixture;
        _activation = fixture.Registry.Activate();
        fixture.Clear();
    }

    protected TFixture Fixture { get; }

    protected TestEngine Engine => Fixture.Engine;

    protected Connection Primary => Fixture.Primary;

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>An identifier as the engine quotes it, for raw SQL that runs everywhere.</summary>
    protected string Q(string identifier) => Primary.Dialect.QuoteIdentifier(identifier);

    /// <summary>A parameter placeholder as the engine writes it (<c>@name</c>, <c>:name</c>).</summary>
    protected string P(string name) => Primary.Dialect.ParameterPlaceholder(name);

    /// <summary>The statements logged since <paramref name="mark"/> (a count of <see cref="CapturingLoggerProvider.Entries"/>).</summary>
    protected IEnumerable<string> StatementsSince(int mark) =>
        Fixture.Logs.Entries.Skip(mark).Where(e => e.Category == "Switchboard.Sql").Select(e => e.Message);

    protected int LogMark() => Fixture.Logs.Entries.Count;

    public void Dispose()
    {
        _activation.Dispose();
        GC.SuppressFinalize(this);
    }
}

using System.Reflection;
using Xunit.Sdk;
using Xunit.v3;

namespace Switchboard.Tests.SyncOrAsync;

/// <summary>
/// Runs a theory once per form, <see cref="SyncOrAsync.Sync"/> then <see cref="SyncOrAsync.Async"/>, so that one set of
/// assertions covers both public paths of an operation.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SyncOrAsyncDataAttribute : DataAttribute
{
    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker) =>
        new([new TheoryDataRow<SyncOrAsync>(SyncOrAsync.Sync), new TheoryDataRow<SyncOrAsync>(SyncOrAsync.Async)]);

    public override bool SupportsDiscoveryEnumeration() => true;
}

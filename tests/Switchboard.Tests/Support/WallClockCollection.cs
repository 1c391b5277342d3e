namespace Switchboard.Tests.Support;

/// <summary>
/// Tests that measure deadlines on the real clock run one class at a time, after the parallel ones: on a 2-core machine
/// the rest of the suite can starve the thread pool that runs the deadline's timer, which would measure the machine,
/// not Switchboard.
/// </summary>
[CollectionDefinition(nameof(WallClockCollection), DisableParallelization = true)]
public sealed class WallClockCollection;

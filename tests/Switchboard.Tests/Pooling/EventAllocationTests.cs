using Switchboard.Tests.Support;

namespace Switchboard.Tests.Pooling;

/// <summary>
/// The README's "nothing allocated when nobody listens": checkout and checkin with no event handler allocate no byte on
/// the calling thread, while the same loop with a handler does (so the measurement can see an allocation at all).
/// </summary>
/// <remarks>
/// Alone in its collection: a handler subscribed process-wide (<see cref="ConnectionEvents"/>) or a meter listener
/// started by a test running in parallel would change the path measured here.
/// </remarks>
[Collection(nameof(AllocationCollection))]
public class EventAllocationTests
{
    private const int Rounds = 1000;

    [Fact]
    public void CheckoutAndCheckin_WhenNobodyListens_AllocateNothing()
    {
        using var db = new TestDatabase(Clock.Fake());
        var connection = db.Sqlite("quiet");

        Assert.Equal(0, AllocatedByRounds(connection));
    }

    [Fact]
    public void CheckoutAndCheckin_WithAListener_Allocate_SoTheMeasurementSeesIt()
    {
        using var db = new TestDatabase(Clock.Fake());
        var connection = db.Sqlite("listened");
        var seen = 0;
        using var subscription = db.Registry.Events.OnCheckout(_ => seen++);

        var allocated = AllocatedByRounds(connection);

        Assert.True(allocated >= Rounds, $"{Rounds} checkouts raising an event allocated only {allocated} bytes");
        Assert.Equal(Rounds + 100, seen);
    }

    /// <summary>Bytes allocated on this thread by <see cref="Rounds"/> checkouts and checkins, after 100 to warm up.</summary>
    private static long AllocatedByRounds(Connection connection)
    {
        var pool = connection.Pool;
        RentAndReturn(pool, 100);
        var before = GC.GetAllocatedBytesForCurrentThread();
        RentAndReturn(pool, Rounds);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static void RentAndReturn(Switchboard.Pooling.ConnectionPool pool, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            var physical = pool.RentAsync(async: false, CancellationToken.None).GetAwaiter().GetResult();
            pool.Return(physical, physical.Lease);
        }
    }
}

/// <summary>Tests that measure allocations run one at a time, after the parallel ones.</summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection;

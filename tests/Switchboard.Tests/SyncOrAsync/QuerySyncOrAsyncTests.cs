using Switchboard.Tests.Support;

namespace Switchboard.Tests.SyncOrAsync;

/// <summary>Each read and set operation of <see cref="Query{T}"/>, run with the same assertions in its sync and its async form.</summary>
public sealed class QuerySyncOrAsyncTests : SyncOrAsyncTestBase
{
    public QuerySyncOrAsyncTests()
    {
        new User { Name = "ann", Status = "active", Age = 30 }.Save();
        new User { Name = "bob", Status = "active", Age = 40 }.Save();
        new User { Name = "cid", Status = "idle", Age = 50 }.Save();
    }

    private static Query<User> Active => User.Where(u => u.Status == "active");

    [Theory]
    [SyncOrAsyncData]
    public async Task All_ReturnsTheMatchingRowsInOrder(SyncOrAsync mode)
    {
        var users = await Run(mode, () => Active.OrderBy(u => u.Name).All(), ct => Active.OrderBy(u => u.Name).AllAsync(ct));

        Assert.Equal(["ann", "bob"], users.Select(u => u.Name));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task All_UsingAnotherConnection_ReadsThere(SyncOrAsync mode)
    {
        new User { Name = "sec", Status = "active" }.Save();
        Secondary.Execute("INSERT INTO users (name, status) VALUES ('only on secondary', 'active')");

        var users = await Run(mode, () => User.Using("secondary").All(), ct => User.Using("secondary").AllAsync(ct));

        Assert.Equal(["only on secondary"], users.Select(u => u.Name));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Count_CountsTheMatchingRows(SyncOrAsync mode)
    {
        Assert.Equal(2L, await Run(mode, () => Active.Count(), ct => Active.CountAsync(ct)));
        Assert.Equal(0L, await Run(mode, () => User.Where(u => u.Age > 99).Count(), ct => User.Where(u => u.Age > 99).CountAsync(ct)));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Exists_TellsWhetherAnyRowMatches(SyncOrAsync mode)
    {
        Assert.True(await Run(mode, () => Active.Exists(), ct => Active.ExistsAsync(ct)));
        Assert.False(await Run(mode, () => User.Where(u => u.Age > 99).Exists(), ct => User.Where(u => u.Age > 99).ExistsAsync(ct)));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Find_ReturnsTheRecord_OrThrowsRecordNotFound(SyncOrAsync mode)
    {
        var id = User.Where(u => u.Name == "bob").First().Id;
        var query = User.Where(u => u.Status == "active");

        var found = await Run(mode, () => query.Find(id), ct => query.FindAsync(id, ct));
        var error = await Throws<RecordNotFoundException>(mode, () => query.Find(987654L), ct => query.FindAsync(987654L, ct));

        Assert.Equal("bob", found.Name);
        Assert.Equal((typeof(User), (object)987654L), (error.ModelType, error.Key));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task FindOrDefault_ReturnsTheRecord_OrNull(SyncOrAsync mode)
    {
        var id = User.Where(u => u.Name == "cid").First().Id;
        var query = User.Where(u => u.Age > 0);

        var found = await Run(mode, () => query.FindOrDefault(id), ct => query.FindOrDefaultAsync(id, ct));
        var missing = await Run(mode, () => query.FindOrDefault(987654L), ct => query.FindOrDefaultAsync(987654L, ct));

        Assert.Equal("cid", found?.Name);
        Assert.Null(missing);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task First_ReturnsTheFirstInOrder_OrThrowsRecordNotFound(SyncOrAsync mode)
    {
        var query = Active.OrderByDescending(u => u.Age);
        var none = User.Where(u => u.Age > 99);

        var first = await Run(mode, () => query.First(), ct => query.FirstAsync(ct));
        var error = await Throws<RecordNotFoundException>(mode, () => none.First(), ct => none.FirstAsync(ct));

        Assert.Equal("bob", first.Name);
        Assert.Equal(typeof(User), error.ModelType);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task FirstOrDefault_ReturnsTheFirstInOrder_OrNull(SyncOrAsync mode)
    {
        var query = Active.OrderBy(u => u.Age);
        var none = User.Where(u => u.Age > 99);

        var first = await Run(mode, () => query.FirstOrDefault(), ct => query.FirstOrDefaultAsync(ct));
        var missing = await Run(mode, () => none.FirstOrDefault(), ct => none.FirstOrDefaultAsync(ct));

        Assert.Equal("ann", first?.Name);
        Assert.Null(missing);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Pluck_ReturnsOneColumnOfTheMatchingRows(SyncOrAsync mode)
    {
        var query = Active.OrderBy(u => u.Name);

        var names = await Run(mode, () => query.Pluck(u => u.Name), ct => query.PluckAsync(u => u.Name, ct));

        Assert.Equal(["ann", "bob"], names);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Sum_AddsTheColumn_AndIsZeroOrNullOverNoRows(SyncOrAsync mode)
    {
        var none = User.Where(u => u.Age > 99);

        Assert.Equal(70, await Run(mode, () => Active.Sum(u => u.Age), ct => Active.SumAsync(u => u.Age, ct)));
        Assert.Equal(0, await Run(mode, () => none.Sum(u => u.Age), ct => none.SumAsync(u => u.Age, ct)));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Min_And_Max_ReadTheExtremes_AndNullOverNoRows(SyncOrAsync mode)
    {
        var none = User.Where(u => u.Age > 99);

        Assert.Equal(30, await Run(mode, () => Active.Min(u => u.Age), ct => Active.MinAsync(u => u.Age, ct)));
        Assert.Equal(40, await Run(mode, () => Active.Max(u => u.Age), ct => Active.MaxAsync(u => u.Age, ct)));
        Assert.Null(await Run(mode, () => none.Max(u => (int?)u.Age), ct => none.MaxAsync(u => (int?)u.Age, ct)));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Average_AveragesTheColumn_AndIsNullOverNoRows(SyncOrAsync mode)
    {
        var none = User.Where(u => u.Age > 99);

        Assert.Equal(35.0, await Run(mode, () => Active.Average(u => u.Age), ct => Active.AverageAsync(u => u.Age, ct)));
        Assert.Equal(35m, await Run(mode, () => Active.Average(u => (decimal)u.Age), ct => Active.AverageAsync(u => (decimal)u.Age, ct)));
        Assert.Null(await Run(mode, () => none.Average(u => u.Age), ct => none.AverageAsync(u => u.Age, ct)));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task UpdateAll_ChangesOnlyTheMatchingRows_AndCountsThem(SyncOrAsync mode)
    {
        var changed = await Run(mode, () => Active.UpdateAll(new { status = "archived" }), ct => Active.UpdateAllAsync(new { status = "archived" }, ct));

        Assert.Equal(2L, changed);
        Assert.Equal(["cid"], User.Where(u => u.Status != "archived").Pluck(u => u.Name));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task DeleteAll_RemovesOnlyTheMatchingRows_AndCountsThem(SyncOrAsync mode)
    {
        var deleted = await Run(mode, () => Active.DeleteAll(), ct => Active.DeleteAllAsync(ct));

        Assert.Equal(2L, deleted);
        Assert.Equal(["cid"], User.All().Select(u => u.Name));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task UpdateAll_InsideUsingReplicas_IsRefusedBeforeItIsSent(SyncOrAsync mode)
    {
        using (ConnectionManager.UsingReplicas())
        {
            await Throws<ReadOnlyException>(mode, () => Active.UpdateAll(new { status = "x" }), ct => Active.UpdateAllAsync(new { status = "x" }, ct));
            await Throws<ReadOnlyException>(mode, () => Active.DeleteAll(), ct => Active.DeleteAllAsync(ct));
        }

        Assert.Equal(2L, Active.Count());
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task CopyTo_CopiesTheMatchingRowsToTheOtherConnection(SyncOrAsync mode)
    {
        var result = await Run(mode, () => Active.CopyTo("secondary"), ct => Active.CopyToAsync("secondary", cancellationToken: ct));

        Assert.Equal(2L, result.Rows);
        Assert.Equal(["ann", "bob"], User.Using("secondary").OrderBy(u => u.Name).Pluck(u => u.Name));
    }
}

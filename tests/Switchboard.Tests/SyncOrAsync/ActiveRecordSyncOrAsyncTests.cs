using Switchboard.Tests.Support;

namespace Switchboard.Tests.SyncOrAsync;

/// <summary>Each operation of <see cref="ActiveRecord{T}"/>, run with the same assertions in its sync and its async form.</summary>
public sealed class ActiveRecordSyncOrAsyncTests : SyncOrAsyncTestBase
{
    [Theory]
    [SyncOrAsyncData]
    public async Task Save_InsertsWithTheGeneratedKey_ThenUpdates(SyncOrAsync mode)
    {
        var user = new User { Name = "ann", Status = "new" };

        await Run(mode, user.Save, user.SaveAsync);
        user.Status = "saved";
        await Run(mode, user.Save, user.SaveAsync);

        Assert.True(user.Id > 0);
        Assert.Equal(("ann", "saved"), (User.Find(user.Id).Name, User.Find(user.Id).Status));
        Assert.Equal(1L, Users(Primary));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Save_OfARecordLoadedFromAnotherConnection_WritesBackThere(SyncOrAsync mode)
    {
        Secondary.Execute("INSERT INTO users (name, status) VALUES ('there', 'new')");
        var loaded = User.Using("secondary").First();

        loaded.Status = "saved back";
        await Run(mode, loaded.Save, loaded.SaveAsync);

        Assert.Equal(0L, Users(Primary));
        Assert.Equal("saved back", Secondary.Scalar<string>("SELECT status FROM users"));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Save_OfARowDeletedMeanwhile_ThrowsRecordNotFound(SyncOrAsync mode)
    {
        var user = new User { Name = "gone", Status = "new" };
        user.Save();
        Primary.Execute("DELETE FROM users");
        user.Status = "changed";

        var error = await Throws<RecordNotFoundException>(mode, user.Save, user.SaveAsync);

        Assert.Equal(user.Id, Convert.ToInt64(error.Key, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Delete_RemovesTheRow_AndReportsWhetherOneWasThere(SyncOrAsync mode)
    {
        var user = new User { Name = "doomed", Status = "new" };
        user.Save();
        var again = User.Find(user.Id);

        Assert.True(await Run(mode, user.Delete, user.DeleteAsync));
        Assert.False(await Run(mode, again.Delete, again.DeleteAsync));
        Assert.Equal(0L, Users(Primary));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Reload_DiscardsUnsavedChanges_AndThrowsRecordNotFoundOnceTheRowIsGone(SyncOrAsync mode)
    {
        var user = new User { Name = "before", Status = "new" };
        user.Save();
        Primary.Execute("UPDATE users SET age = 5");
        user.Name = "unsaved";

        await Run(mode, user.Reload, user.ReloadAsync);
        Primary.Execute("DELETE FROM users");
        await Throws<RecordNotFoundException>(mode, user.Reload, user.ReloadAsync);

        Assert.Equal(("before", 5), (user.Name, user.Age));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task InsertAll_StoresEveryRecord_AndCountsThem(SyncOrAsync mode)
    {
        User[] users = [new() { Name = "a", Status = "bulk" }, new() { Name = "b", Status = "bulk" }, new() { Name = "c", Status = "bulk" }];

        var inserted = await Run(mode, () => User.InsertAll(users), ct => User.InsertAllAsync(users, ct));

        Assert.Equal(3L, inserted);
        Assert.Equal(["a", "b", "c"], User.OrderBy(u => u.Name).Pluck(u => u.Name));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task InsertAll_InsideUsingReplicas_IsRefusedBeforeItIsSent(SyncOrAsync mode)
    {
        User[] users = [new() { Name = "a", Status = "bulk" }];

        using (ConnectionManager.UsingReplicas())
        {
            await Throws<ReadOnlyException>(mode, () => User.InsertAll(users), ct => User.InsertAllAsync(users, ct));
        }

        Assert.Equal(0L, Users(Primary));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task StaticReads_AnswerAsTheirQueryForms(SyncOrAsync mode)
    {
        new User { Name = "ann", Status = "active", Age = 1 }.Save();
        new User { Name = "bob", Status = "active", Age = 2 }.Save();
        var id = User.Where(u => u.Name == "bob").First().Id;

        var all = await Run(mode, () => User.All(), ct => User.AllAsync(ct));
        var count = await Run(mode, () => User.Count(), ct => User.CountAsync(ct));
        var exists = await Run(mode, () => User.Exists(), ct => User.ExistsAsync(ct));
        var found = await Run(mode, () => User.Find(id), ct => User.FindAsync(id, ct));
        var missing = await Run(mode, () => User.FindOrDefault(987654L), ct => User.FindOrDefaultAsync(987654L, ct));
        var first = await Run(mode, () => User.First(), ct => User.FirstAsync(ct));
        var firstOrDefault = await Run(mode, () => User.FirstOrDefault(), ct => User.FirstOrDefaultAsync(ct));
        await Throws<RecordNotFoundException>(mode, () => User.Find(987654L), ct => User.FindAsync(987654L, ct));

        Assert.Equal(["ann", "bob"], all.Select(u => u.Name).Order());
        Assert.Equal((2L, true, "bob", (User?)null), (count, exists, found.Name, missing));
        Assert.NotNull(first);
        Assert.NotNull(firstOrDefault);
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task StaticReads_OverAnEmptyTable_AnswerNothing(SyncOrAsync mode)
    {
        Assert.Empty(await Run(mode, () => User.All(), ct => User.AllAsync(ct)));
        Assert.Equal(0L, await Run(mode, () => User.Count(), ct => User.CountAsync(ct)));
        Assert.False(await Run(mode, () => User.Exists(), ct => User.ExistsAsync(ct)));
        Assert.Null(await Run(mode, () => User.FirstOrDefault(), ct => User.FirstOrDefaultAsync(ct)));
        await Throws<RecordNotFoundException>(mode, () => User.First(), ct => User.FirstAsync(ct));
    }

    [Theory]
    [SyncOrAsyncData]
    public async Task Save_InsideAnAmbientTransaction_JoinsIt(SyncOrAsync mode)
    {
        var user = new User { Name = "in tx", Status = "new" };
        using (var tx = Primary.BeginTransaction())
        {
            await Run(mode, user.Save, user.SaveAsync);
            Assert.Equal(1L, Primary.Scalar<long>("SELECT COUNT(*) FROM users"));
        }

        Assert.Equal(0L, Users(Primary));
    }
}

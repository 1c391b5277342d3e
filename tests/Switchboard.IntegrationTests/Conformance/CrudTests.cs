using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>Saving, finding, updating, deleting and reloading records.</summary>
public abstract class CrudTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    [Fact]
    public void Save_InsertsReadingTheGeneratedKey_ThenUpdatesOnlyTheChangedColumn()
    {
        var first = new Gadget { Name = "Lamp", Status = "new", Price = 19.99m, Rank = 1 };
        var second = new Gadget { Name = "Desk", Status = "new", Price = 250m, Rank = 2 };

        first.Save();
        second.Save();
        var loaded = Gadget.Find(first.Id);
        loaded.Name = "Floor lamp";
        var mark = LogMark();
        loaded.Save();

        Assert.True(first.Id > 0);
        Assert.True(second.Id > first.Id);
        Assert.Equal(19.99m, loaded.Price);
        var update = Assert.Single(StatementsSince(mark), s => s.Contains("UPDATE", StringComparison.Ordinal));
        Assert.Contains(Q("name") + " = ", update, StringComparison.Ordinal);
        Assert.DoesNotContain(Q("status"), update, StringComparison.Ordinal);
        Assert.Equal("Floor lamp", Gadget.Find(first.Id).Name);
        Assert.Equal("Desk", Gadget.Find(second.Id).Name);
    }

    [Fact]
    public void Save_WithNothingChanged_SendsNoStatement()
    {
        var gadget = new Gadget { Name = "still", Status = "new" };
        gadget.Save();
        var loaded = Gadget.Find(gadget.Id);

        var mark = LogMark();
        loaded.Save();

        Assert.Empty(StatementsSince(mark));
    }

    [Fact]
    public async Task SaveAsync_InsertsAndUpdates_LikeSave()
    {
        var gadget = new Gadget { Name = "async", Status = "new", Price = 1.5m };

        await gadget.SaveAsync(Cancel);
        gadget.Price = 2.25m;
        await gadget.SaveAsync(Cancel);

        var loaded = await Gadget.FindAsync(gadget.Id, Cancel);
        Assert.Equal(2.25m, loaded.Price);
        Assert.Equal("async", loaded.Name);
    }

    [Fact]
    public void Find_AMissingKey_ThrowsRecordNotFound_AndFindOrDefaultReturnsNull()
    {
        var error = Assert.Throws<RecordNotFoundException>(() => Gadget.Find(987654321L));

        Assert.Equal(typeof(Gadget), error.ModelType);
        Assert.Null(Gadget.FindOrDefault(987654321L));
    }

    [Fact]
    public void Find_AcceptsAKeyOfAnotherIntegerType()
    {
        var gadget = new Gadget { Name = "int key", Status = "new" };
        gadget.Save();

        Assert.Equal("int key", Gadget.Find((int)gadget.Id).Name);
    }

    [Fact]
    public async Task Delete_RemovesTheRow_AndReportsWhetherOneWasThere()
    {
        var gadget = new Gadget { Name = "doomed", Status = "new" };
        gadget.Save();
        var again = Gadget.Find(gadget.Id);

        Assert.True(gadget.Delete());
        Assert.False(await again.DeleteAsync(Cancel));
        Assert.Null(Gadget.FindOrDefault(gadget.Id));
    }

    [Fact]
    public void Reload_ReadsTheRowAgain_DiscardingUnsavedChanges()
    {
        var gadget = new Gadget { Name = "before", Status = "new", Rank = 1 };
        gadget.Save();
        Primary.Execute($"UPDATE {Q("gadgets")} SET {Q("rank")} = 5 WHERE {Q("id")} = {P("id")}", new { id = gadget.Id });
        gadget.Name = "unsaved";

        gadget.Reload();

        Assert.Equal(("before", 5), (gadget.Name, gadget.Rank));
        Primary.Execute($"DELETE FROM {Q("gadgets")} WHERE {Q("id")} = {P("id")}", new { id = gadget.Id });
        Assert.Throws<RecordNotFoundException>(gadget.Reload);
    }

    [Fact]
    public void Save_OfARowDeletedMeanwhile_ThrowsRecordNotFound()
    {
        var gadget = new Gadget { Name = "vanishing", Status = "new" };
        gadget.Save();
        Primary.Execute($"DELETE FROM {Q("gadgets")}");
        gadget.Name = "changed";

        Assert.Throws<RecordNotFoundException>(gadget.Save);
    }

    [Fact]
    public void Save_OfARecordLoadedFromAnotherConnection_WritesBackThere()
    {
        new Gadget { Name = "on secondary", Status = "new" }.Save();
        Gadget loaded;
        using (Gadget.UsingConnection(EngineFixture.SecondaryName))
        {
            new Gadget { Name = "on secondary", Status = "new" }.Save();
            loaded = Gadget.Where(g => g.Name == "on secondary").First();
        }

        loaded.Status = "saved back";
        loaded.Save();

        Assert.Equal("new", Gadget.Where(g => g.Name == "on secondary").First().Status);
        Assert.Equal("saved back", Gadget.Using(EngineFixture.SecondaryName).Where(g => g.Name == "on secondary").First().Status);
    }
}

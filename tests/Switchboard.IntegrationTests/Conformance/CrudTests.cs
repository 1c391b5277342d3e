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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Save_AfterAByteArrayIsChangedInPlace_WritesTheChange(bool isAsync)
    {
        var sample = TypeSample.Full();
        sample.Payload = [1, 2, 3];
        await SaveAsync(sample, isAsync);

        sample.Payload[0] = 99;
        await SaveAsync(sample, isAsync);
        var loaded = TypeSample.Find(sample.Id);
        loaded.Payload[2] = 77;
        await SaveAsync(loaded, isAsync);

        Assert.Equal([99, 2, 77], TypeSample.Find(sample.Id).Payload);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Delete_OfANeverSavedRecord_SendsNothingAndReturnsFalse(bool isAsync)
    {
        var kept = new Gadget { Name = "kept", Status = "new" };
        kept.Save();
        var doomed = new Gadget { Name = "doomed", Status = "new" };
        doomed.Save();
        Assert.True(await DeleteAsync(doomed, isAsync));

        var mark = LogMark();
        var blank = await DeleteAsync(new Gadget(), isAsync);
        var sameKey = await DeleteAsync(new Gadget { Id = kept.Id }, isAsync);
        var again = await DeleteAsync(doomed, isAsync);

        Assert.Equal((false, false, false), (blank, sameKey, again));
        Assert.Empty(StatementsSince(mark));
        Assert.NotNull(Gadget.FindOrDefault(kept.Id));
    }

    [Fact]
    public async Task Save_OfAModelWithMoreThan64Columns_UpdatesTheChangedColumns()
    {
        var columns = string.Join(", ", Enumerable.Range(1, WideRecord.Width).Select(i => Q("c" + i) + " INTEGER NOT NULL"));
        Primary.Execute($"CREATE TABLE {Q("wide_records")} ({Q("id")} INTEGER NOT NULL PRIMARY KEY, {columns})");
        var record = new WideRecord { Id = 1, C1 = 1, C70 = 70 };
        record.Save();

        record.C2 = 2;
        record.C65 = 65;
        record.C70 = 700;
        record.Save();
        var loaded = await WideRecord.FindAsync(1L, Cancel);
        loaded.C66 = 66;
        await loaded.SaveAsync(Cancel);

        var stored = WideRecord.Find(1L);
        Assert.Equal((1, 2, 65, 66, 700), (stored.C1, stored.C2, stored.C65, stored.C66, stored.C70));
    }

    private static async Task SaveAsync<T>(T record, bool isAsync)
        where T : ActiveRecord<T>, new()
    {
        if (isAsync)
        {
            await record.SaveAsync(Cancel);
        }
        else
        {
            record.Save();
        }
    }

    private static async Task<bool> DeleteAsync<T>(T record, bool isAsync)
        where T : ActiveRecord<T>, new() =>
        isAsync ? await record.DeleteAsync(Cancel) : record.Delete();
}

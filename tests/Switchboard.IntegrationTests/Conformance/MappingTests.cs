using System.ComponentModel.DataAnnotations.Schema;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// <c>naming: auto</c>, the default, on every engine: one PascalCase model class fits lower-case, snake_case and quoted
/// mixed-case tables, found in the engine's catalog; what does not fit is a <see cref="MappingException"/>, and
/// VerifyModels reports it. Each test makes tables of its own in the class's store.
/// </summary>
public abstract class MappingTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    [Fact]
    public async Task IssueRepro_LowerCaseEventsTable_WorksWithNoConfiguration()
    {
        await Primary.ExecuteAsync($"CREATE TABLE events (id {Key}, name {Text} NOT NULL, status {Text} NOT NULL)", cancellationToken: Cancel);

        var ev = new Ev { Name = "launch", Status = "active" };
        await ev.SaveAsync(Cancel);
        var found = await Ev.FindAsync(ev.Id, Cancel);
        found.Status = "done";
        await found.SaveAsync(Cancel);

        Assert.Equal(NamingConvention.Auto, Primary.Config.Naming);
        Assert.Equal(("launch", "done"), (found.Name, (await Ev.FirstAsync(Cancel)).Status));
        Assert.Equal(1, await Ev.Where(e => e.Status == "done").CountAsync(Cancel));
        Assert.Equal("done", await Primary.ScalarAsync<string>("SELECT status FROM events", cancellationToken: Cancel));
        Assert.Contains(Q("status"), Ev.Where(e => e.Status == "done").ToSql(), StringComparison.Ordinal);
        Assert.True(await found.DeleteAsync(Cancel));
        Assert.Equal(0, Ev.Count());
    }

    [Fact]
    public void SnakeCaseTable_MapsAPascalCaseModel()
    {
        Primary.Execute($"CREATE TABLE invoice_line (invoice_line_id {Key}, unit_price DECIMAL(10,2) NOT NULL, track_name {Text})");

        var line = new InvoiceLine { UnitPrice = 0.99m, TrackName = "Balls to the Wall" };
        line.Save();

        Assert.Equal((0.99m, "Balls to the Wall"), (InvoiceLine.Find(line.InvoiceLineId).UnitPrice, InvoiceLine.Find(line.InvoiceLineId).TrackName));
        Assert.Equal(
            $"SELECT {Q("invoice_line_id")}, {Q("unit_price")}, {Q("track_name")} FROM {Q("invoice_line")}",
            InvoiceLine.Using(EngineFixture.PrimaryName).ToSql());
    }

    [Fact]
    public void QuotedMixedCaseTable_IsFoundExactly()
    {
        Primary.Execute($"CREATE TABLE {Q("OrderLine")} ({Q("OrderLineId")} {Key}, {Q("Quantity")} INTEGER NOT NULL)");

        new OrderLine { Quantity = 3 }.Save();

        Assert.Equal(3, OrderLine.First().Quantity);
        Assert.Equal(1L, Primary.Scalar<long>($"SELECT COUNT(*) FROM {Q("OrderLine")} WHERE {Q("Quantity")} = 3"));
    }

    [Fact]
    public void PropertyMatchingTwoColumns_IsRefused_NamingBoth()
    {
        Primary.Execute($"CREATE TABLE membership (id {Key}, user_id INTEGER, userid INTEGER)");

        var error = Assert.Throws<MappingException>(() => Membership.Count());

        Assert.Equal((typeof(Membership), "UserId", EngineFixture.PrimaryName), (error.Model, error.Property, error.ConnectionName));
        Assert.Contains("user_id and userid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingTable_IsRefused_AndCreatingItThenWorks()
    {
        var error = await Assert.ThrowsAsync<MappingException>(() => Shipment.CountAsync(Cancel));
        Assert.Null(error.Property);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);

        await Primary.ExecuteAsync($"CREATE TABLE shipment (shipment_id {Key}, carrier {Text} NOT NULL)", cancellationToken: Cancel);
        await new Shipment { Carrier = "post" }.SaveAsync(Cancel);

        Assert.Equal("post", (await Shipment.FirstAsync(Cancel)).Carrier);
    }

    [Fact]
    public void FirstUseInsideATransaction_RunsOnTheTransactionsConnection()
    {
        // PostgreSQL and SQLite run DDL inside a transaction: only its own connection sees the table before the commit.
        var ddl = $"CREATE TABLE parcel (id {Key}, weight INTEGER NOT NULL)";
        var transactionalDdl = Engine.Name is "PostgreSql" or "Sqlite";
        if (!transactionalDdl)
        {
            Primary.Execute(ddl);
        }

        Primary.Transaction(() =>
        {
            if (transactionalDdl)
            {
                Primary.Execute(ddl);
            }

            new Parcel { Weight = 5 }.Save();
            Assert.Equal(1, Parcel.Count());
        });

        Assert.Equal(5L, Primary.Scalar<long>("SELECT weight FROM parcel"));
    }

    [Fact]
    public void VerifyModels_ReportsErrorsAndWarnings()
    {
        Primary.Execute($"CREATE TABLE audit_entry (id {Key}, actor INTEGER NOT NULL, amount INTEGER, note {Text})");

        var report = Fixture.Registry.VerifyModels(EngineFixture.PrimaryName, typeof(AuditEntry), typeof(Shipment2));

        var problems = report.Problems.ToDictionary(p => (p.Model, p.Property));
        Assert.False(problems[(typeof(AuditEntry), "Actor")].IsError);
        Assert.False(problems[(typeof(AuditEntry), "Amount")].IsError);
        Assert.True(problems[(typeof(AuditEntry), "Reviewer")].IsError);
        Assert.Contains("actor, amount, note", problems[(typeof(AuditEntry), "Reviewer")].Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(problems[(typeof(Shipment2), null)].IsError);
        Assert.Equal(4, report.Problems.Count);
        Assert.All(report.Problems, p => Assert.Equal(EngineFixture.PrimaryName, p.Connection));
    }

    /// <summary>A generated 64-bit key, as the engine declares one.</summary>
    private string Key => Engine.Name switch
    {
        "PostgreSql" => "BIGSERIAL PRIMARY KEY",
        "MySql" => "BIGINT AUTO_INCREMENT PRIMARY KEY",
        "SqlServer" => "BIGINT IDENTITY(1,1) PRIMARY KEY",
        "Oracle" => "NUMBER(19) GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        _ => "INTEGER PRIMARY KEY AUTOINCREMENT",
    };

    private string Text => Engine.Name switch
    {
        "MySql" => "VARCHAR(200)",
        "SqlServer" => "NVARCHAR(200)",
        "Oracle" => "NVARCHAR2(200)",
        _ => "TEXT",
    };

    [Table("events")]
    public class Ev : ActiveRecord<Ev>
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public string Status { get; set; } = "";
    }

    public class InvoiceLine : ActiveRecord<InvoiceLine>
    {
        public long InvoiceLineId { get; set; }

        public decimal UnitPrice { get; set; }

        public string? TrackName { get; set; }
    }

    public class OrderLine : ActiveRecord<OrderLine>
    {
        public long OrderLineId { get; set; }

        public int Quantity { get; set; }
    }

    public class Membership : ActiveRecord<Membership>
    {
        public long Id { get; set; }

        public long? UserId { get; set; }
    }

    public class Shipment : ActiveRecord<Shipment>
    {
        public long ShipmentId { get; set; }

        public string Carrier { get; set; } = "";
    }

    public class Shipment2 : ActiveRecord<Shipment2>
    {
        public long Id { get; set; }
    }

    public class Parcel : ActiveRecord<Parcel>
    {
        public long Id { get; set; }

        public int Weight { get; set; }
    }

    public class AuditEntry : ActiveRecord<AuditEntry>
    {
        public long Id { get; set; }

        public string Actor { get; set; } = "";

        public int Amount { get; set; }

        public string? Note { get; set; }

        public string? Reviewer { get; set; }
    }
}

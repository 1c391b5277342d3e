using System.ComponentModel.DataAnnotations.Schema;
using Switchboard.IntegrationTests.Conformance.MariaDb;
using Switchboard.IntegrationTests.Conformance.PostgreSql;
using Switchboard.IntegrationTests.Conformance.Sqlite;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// Values at the edge of what an engine stores: unsigned integers, NaN, a ulong above long.MaxValue. Each round-trips,
/// or is refused with an error that names the property or parameter, the type and the engine: never a wrong value,
/// never a bare driver exception.
/// </summary>
public abstract class ValueRangeTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    private bool IsSqlite => Engine.Name == "Sqlite";

    [Fact]
    public async Task UnsignedParameters_RoundTrip_AtTheirMaximum()
    {
        Assert.Equal(ushort.MaxValue, Primary.Scalar<ushort>($"SELECT {P("v")}", new { v = ushort.MaxValue }));
        Assert.Equal(uint.MaxValue, await Primary.ScalarAsync<uint>($"SELECT {P("v")}", new { v = uint.MaxValue }, Cancel));
        Assert.Equal((byte)255, Primary.Scalar<byte>($"SELECT {P("v")}", new { v = (byte)255 }));
        Assert.Equal((sbyte)-128, Primary.Scalar<sbyte>($"SELECT {P("v")}", new { v = sbyte.MinValue }));
        Assert.Equal(42UL, Primary.Scalar<ulong>($"SELECT {P("v")}", new { v = 42UL }));
    }

    [Fact]
    public void UlongAboveLongMax_RoundTrips_OrIsRefusedNamingTheParameter()
    {
        var sql = $"SELECT {P("big")}";
        if (IsSqlite)
        {
            var error = Assert.Throws<ArgumentException>(() => Primary.Scalar<ulong>(sql, new { big = ulong.MaxValue }));
            Assert.Contains("'big'", error.Message, StringComparison.Ordinal);
            Assert.Contains("SQLite", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(ulong.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(ulong.MaxValue, Primary.Scalar<ulong>(sql, new { big = ulong.MaxValue }));
        }
    }

    [Fact]
    public async Task NaN_RoundTrips_OrIsRefusedNamingTheParameter()
    {
        var sql = $"SELECT {P("ratio")}";
        if (Engine.Name == "PostgreSql")
        {
            Assert.True(double.IsNaN(await Primary.ScalarAsync<double>(sql, new { ratio = double.NaN }, Cancel)));
            return;
        }

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Primary.ScalarAsync<double>(sql, new { ratio = double.NaN }, Cancel));
        Assert.Contains("'ratio'", error.Message, StringComparison.Ordinal);
        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParameterOfAnApplicationType_IsRefusedNamingTheParameterAndType()
    {
        var sql = $"SELECT {P("shape")}";

        var error = Assert.Throws<ArgumentException>(() => Primary.Scalar<string>(sql, new { shape = new Shape("secret") }));
        var asyncError = await Assert.ThrowsAsync<ArgumentException>(() => Primary.ScalarAsync<string>(sql, new { shape = new Shape("secret") }, Cancel));

        foreach (var message in new[] { error.Message, asyncError.Message })
        {
            Assert.Contains("'shape'", message, StringComparison.Ordinal);
            Assert.Contains(nameof(Shape), message, StringComparison.Ordinal);
            Assert.DoesNotContain("secret", message, StringComparison.Ordinal);
        }
    }

    public sealed record Shape(string Name);

    [Fact]
    public async Task UnsignedModel_SavedAndFound_KeepsEveryValue()
    {
        await CreateTableAsync();
        var sample = new Unsigned { Small = ushort.MaxValue, Medium = uint.MaxValue, Tiny = 255, Signed = -128 };
        sample.Save();

        var found = await Unsigned.FindAsync(sample.Id, Cancel);

        Assert.Equal((ushort.MaxValue, uint.MaxValue, (byte)255, (sbyte)-128), (found.Small, found.Medium, found.Tiny, found.Signed));
    }

    [Fact]
    public async Task UlongModel_RoundTripsAboveLongMax_OrIsRefusedWhenFirstUsed()
    {
        await CreateTableAsync();
        if (IsSqlite)
        {
            var error = Assert.ThrowsAny<SwitchboardException>(() => Huge.Where(h => h.Id > 0).All());
            Assert.Contains("Huge.Value", error.Message, StringComparison.Ordinal);
            Assert.Contains("UInt64", error.Message, StringComparison.Ordinal);
            Assert.Contains("SQLite", error.Message, StringComparison.Ordinal);
            return;
        }

        var sample = new Huge { Value = ulong.MaxValue };
        sample.Save();

        Assert.Equal(ulong.MaxValue, Huge.Find(sample.Id).Value);
        Assert.Equal(sample.Id, Huge.Where(h => h.Value == ulong.MaxValue).First().Id);
    }

    private async Task CreateTableAsync()
    {
        var (key, small, medium, tiny, signed, huge) = Engine.Name switch
        {
            "PostgreSql" => ("BIGSERIAL PRIMARY KEY", "INTEGER", "BIGINT", "SMALLINT", "SMALLINT", "NUMERIC(20,0)"),
            "Sqlite" => ("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "INTEGER"),
            _ => ("BIGINT AUTO_INCREMENT PRIMARY KEY", "SMALLINT UNSIGNED", "INT UNSIGNED", "TINYINT UNSIGNED", "TINYINT", "BIGINT UNSIGNED"),
        };
        foreach (var table in new[] { "unsigned_values", "huge_values" })
        {
            await Primary.ExecuteAsync($"DROP TABLE IF EXISTS {Q(table)}", cancellationToken: Cancel);
        }

        await Primary.ExecuteAsync(
            $"CREATE TABLE {Q("unsigned_values")} ({Q("id")} {key}, {Q("small")} {small} NOT NULL, {Q("medium")} {medium} NOT NULL, {Q("tiny")} {tiny} NOT NULL, {Q("signed")} {signed} NOT NULL)",
            cancellationToken: Cancel);
        await Primary.ExecuteAsync($"CREATE TABLE {Q("huge_values")} ({Q("id")} {key}, {Q("value")} {huge} NOT NULL)", cancellationToken: Cancel);
    }

    [Table("unsigned_values")]
    public sealed class Unsigned : ActiveRecord<Unsigned>
    {
        [Column("id")]
        public long Id { get; set; }

        [Column("small")]
        public ushort Small { get; set; }

        [Column("medium")]
        public uint Medium { get; set; }

        [Column("tiny")]
        public byte Tiny { get; set; }

        [Column("signed")]
        public sbyte Signed { get; set; }
    }

    [Table("huge_values")]
    public sealed class Huge : ActiveRecord<Huge>
    {
        [Column("id")]
        public long Id { get; set; }

        [Column("value")]
        public ulong Value { get; set; }
    }
}

public sealed class SqliteValueRangeTests(SqliteFixture fixture) : ValueRangeTests<SqliteFixture>(fixture);

public sealed class PostgreSqlValueRangeTests(PostgreSqlFixture fixture) : ValueRangeTests<PostgreSqlFixture>(fixture);

public sealed class MariaDbValueRangeTests(MariaDbFixture fixture) : ValueRangeTests<MariaDbFixture>(fixture);

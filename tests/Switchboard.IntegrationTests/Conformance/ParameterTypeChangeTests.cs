using System.Globalization;
using Switchboard.IntegrationTests.Conformance.MariaDb;
using Switchboard.IntegrationTests.Conformance.PostgreSql;
using Switchboard.IntegrationTests.Conformance.Sqlite;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// The same SQL text run again with a parameter of another type. The command is cached per SQL text on each physical
/// connection and PostgreSQL prepares it after two uses: the value of the new type must never be read as bytes of the old.
/// </summary>
public abstract class ParameterTypeChangeTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    /// <summary>One value of each type a parameter may have, and how to read it back as that type.</summary>
    public static readonly IReadOnlyList<Sample> Samples =
    [
        new("string", "ABCD", (c, sql, v) => c.Scalar<string>(sql, new { v })),
        new("int", 1094861636, (c, sql, v) => c.Scalar<int>(sql, new { v })),
        new("long", 4702394921427289928L, (c, sql, v) => c.Scalar<long>(sql, new { v })),
        new("short", (short)-12345, (c, sql, v) => c.Scalar<short>(sql, new { v })),
        new("decimal", 12345.6789m, (c, sql, v) => c.Scalar<decimal>(sql, new { v })),
        new("double", Math.E, (c, sql, v) => c.Scalar<double>(sql, new { v })),
        new("bool", true, (c, sql, v) => c.Scalar<bool>(sql, new { v })),
        new("Guid", Guid.Parse("41424344-4546-4748-494a-4b4c4d4e4f50"), (c, sql, v) => c.Scalar<Guid>(sql, new { v })),
        new("DateTime", new DateTime(2026, 5, 17, 8, 9, 10, DateTimeKind.Unspecified), (c, sql, v) => c.Scalar<DateTime>(sql, new { v })),
        new("DateTimeOffset", new DateTimeOffset(2026, 5, 17, 8, 9, 10, TimeSpan.Zero), (c, sql, v) => c.Scalar<DateTimeOffset>(sql, new { v })),
        new("byte[]", new byte[] { 65, 66, 67, 68, 0, 255 }, (c, sql, v) => c.Scalar<byte[]>(sql, new { v })),
        new("null", null, (c, sql, v) => c.Scalar<object>(sql, new { v })),
    ];

    public static TheoryData<string> FirstTypes => [.. Samples.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(FirstTypes))]
    public void SameSql_AfterPreparedWithOneType_ReturnsValuesOfEveryOtherType(string first)
    {
        var start = Samples.Single(s => s.Name == first);
        foreach (var next in Samples)
        {
            // A statement of its own per pair, prepared with the first type, then run with the second and back.
            var sql = $"SELECT {P("v")} /* {first} then {next.Name} */";
            for (var i = 0; i < 3; i++)
            {
                AssertReads(start, start.Read(Primary, sql, start.Value), $"{first} (use {i + 1})");
            }

            AssertReads(next, next.Read(Primary, sql, next.Value), $"{next.Name} after {first}");
            AssertReads(start, start.Read(Primary, sql, start.Value), $"{first} after {next.Name}");
            AssertReads(next, next.Read(Primary, sql, next.Value), $"{next.Name} again after {first}");
        }
    }

    [Fact]
    public async Task SameSql_Async_AfterPreparedAsString_ReadsAnIntAndALong()
    {
        var sql = $"SELECT {P("v")} /* async */";
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("ABCD", await Primary.ScalarAsync<string>(sql, new { v = "ABCD" }, Cancel));
        }

        Assert.Equal(1094861636, await Primary.ScalarAsync<int>(sql, new { v = 1094861636 }, Cancel));
        Assert.Equal(4702394921427289928L, await Primary.ScalarAsync<long>(sql, new { v = 4702394921427289928L }, Cancel));
        Assert.Equal((short)7, await Primary.ScalarAsync<short>(sql, new { v = (short)7 }, Cancel));
    }

    [Fact]
    public async Task InsertIntoText_AfterPreparedWithStrings_StoresTheIntAsItsDigits()
    {
        var insert = $"INSERT INTO {Q("gadgets")} ({Q("name")}, {Q("status")}) VALUES ({P("n")}, {P("s")})";
        for (var i = 0; i < 3; i++)
        {
            await Primary.ExecuteAsync(insert, new Dictionary<string, object?> { ["n"] = "ABCD", ["s"] = "text" }, Cancel);
        }

        await Primary.ExecuteAsync(insert, new Dictionary<string, object?> { ["n"] = 1094861636, ["s"] = "int" }, Cancel);
        Primary.Execute(insert, new Dictionary<string, object?> { ["n"] = 1094861636, ["s"] = "int sync" });

        var names = Primary.ExecuteRaw($"SELECT {Q("name")} FROM {Q("gadgets")} WHERE {Q("status")} <> 'text'").Rows.Select(r => Convert.ToString(r["name"], CultureInfo.InvariantCulture));
        Assert.All(names, n => Assert.Equal("1094861636", n));
    }

    private static void AssertReads(Sample sample, object? actual, string what)
    {
        var same = (sample.Value, actual) switch
        {
            (null, null) => true,
            (byte[] want, byte[] got) => want.AsSpan().SequenceEqual(got),
            (DateTimeOffset want, DateTimeOffset got) => want.UtcDateTime == got.UtcDateTime,
            var (want, got) => Equals(want, got),
        };
        Assert.True(same, $"{what}: sent {Show(sample.Value)}, read back {Show(actual)}");
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Convert.ToHexString(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture) + $" ({value.GetType().Name})",
        _ => $"{value} ({value.GetType().Name})",
    };

    public sealed record Sample(string Name, object? Value, Func<Connection, string, object?, object?> Read);
}

public sealed class SqliteParameterTypeChangeTests(SqliteFixture fixture) : ParameterTypeChangeTests<SqliteFixture>(fixture);

public sealed class PostgreSqlParameterTypeChangeTests(PostgreSqlFixture fixture) : ParameterTypeChangeTests<PostgreSqlFixture>(fixture);

public sealed class MariaDbParameterTypeChangeTests(MariaDbFixture fixture) : ParameterTypeChangeTests<MariaDbFixture>(fixture);

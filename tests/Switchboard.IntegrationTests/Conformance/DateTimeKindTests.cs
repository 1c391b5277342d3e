using System.ComponentModel.DataAnnotations.Schema;
using System.Globalization;
using Switchboard.IntegrationTests.Conformance.MariaDb;
using Switchboard.IntegrationTests.Conformance.PostgreSql;
using Switchboard.IntegrationTests.Conformance.Sqlite;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// What each engine stores and gives back for a <see cref="DateTime"/> of each Kind: a Utc or Local value is an instant
/// (a Local one is converted to UTC when sent, never stored as its wall clock); an Unspecified one is a wall clock,
/// stored as given. The assertions hold in any zone; <c>scripts/test</c> runs them again with <c>TZ=America/New_York</c>,
/// where a Local value stored as if it were UTC would be four or five hours off.
/// </summary>
public abstract class DateTimeKindTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    private static readonly DateTime Wall = new(2026, 7, 4, 12, 34, 56, 789);

    public static TheoryData<DateTimeKind, bool> Kinds => new()
    {
        { DateTimeKind.Utc, false }, { DateTimeKind.Local, false }, { DateTimeKind.Unspecified, false },
        { DateTimeKind.Utc, true }, { DateTimeKind.Local, true }, { DateTimeKind.Unspecified, true },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task DateTime_SavedAndFound_ComesBackAsTheDocumentedInstantAndKind(DateTimeKind kind, bool async)
    {
        await CreateTableAsync();
        var sent = DateTime.SpecifyKind(Wall, kind);
        var stamp = new Stamp { At = sent, Plain = sent };

        if (async)
        {
            await stamp.SaveAsync(Cancel);
        }
        else
        {
            stamp.Save();
        }

        var found = async ? await Stamp.FindAsync(stamp.Id, Cancel) : Stamp.Find(stamp.Id);

        AssertRule(sent, found.At, zoned: true);
        AssertRule(sent, found.Plain, zoned: false);
        Assert.Equal(stamp.Id, Stamp.Where(s => s.At == sent).First().Id);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task DateTime_AsRawParameter_IsStoredAsTheDocumentedInstant(DateTimeKind kind, bool async)
    {
        await CreateTableAsync();
        var sent = DateTime.SpecifyKind(Wall, kind);
        var insert = $"INSERT INTO {Q("stamps")} ({Q("at")}, {Q("plain")}) VALUES ({P("a")}, {P("p")})";
        if (async)
        {
            await Primary.ExecuteAsync(insert, new { a = sent, p = sent }, Cancel);
        }
        else
        {
            Primary.Execute(insert, new { a = sent, p = sent });
        }

        var row = Primary.ExecuteRaw($"SELECT {Q("at")}, {Q("plain")} FROM {Q("stamps")}").Rows.Single();

        AssertRule(sent, ValueAsDateTime(row["at"]), zoned: true);
        AssertRule(sent, ValueAsDateTime(row["plain"]), zoned: false);
    }

    [Fact]
    public void LocalNow_SavedAndFound_IsTheSameInstant()
    {
        CreateTableAsync().GetAwaiter().GetResult();
        var now = DateTime.Now;
        var stamp = new Stamp { At = now, Plain = now };
        stamp.Save();

        var found = Stamp.Find(stamp.Id);

        Assert.Equal(Trim(now.ToUniversalTime()), Trim(found.At.Kind == DateTimeKind.Unspecified ? found.At : found.At.ToUniversalTime()));
    }

    [Fact]
    public void LocalZone_WhenNotUtc_IsWhatTheProcessRunsIn()
    {
        // Under scripts/test's second pass (TZ=America/New_York) this proves that the zone really was not UTC.
        var tz = Environment.GetEnvironmentVariable("TZ");
        if (tz is not null && tz != "UTC" && tz != "Etc/UTC")
        {
            Assert.NotEqual(TimeSpan.Zero, TimeZoneInfo.Local.GetUtcOffset(Wall));
        }
    }

    /// <summary>
    /// The rule: a Utc or Local value comes back as its UTC instant (Kind Utc where the column keeps a zone or SQLite's
    /// text says so, Unspecified from a column without one); an Unspecified value comes back with the same wall clock.
    /// </summary>
    private void AssertRule(DateTime sent, DateTime back, bool zoned)
    {
        var expected = sent.Kind == DateTimeKind.Unspecified ? sent : sent.ToUniversalTime();
        Assert.True(
            expected.Ticks == back.Ticks,
            $"{sent.Kind} {Show(sent)} came back as {Show(back)} {back.Kind} (expected {Show(expected)}), {(zoned ? "zoned" : "plain")} column on {Engine.Name}");
        Assert.Equal(ExpectedKind(sent.Kind, zoned), back.Kind);
    }

    private DateTimeKind ExpectedKind(DateTimeKind sent, bool zoned) => Engine.Name switch
    {
        // timestamptz holds instants and Npgsql reads them as Utc; timestamp holds wall clocks, read as Unspecified.
        "PostgreSql" => zoned ? DateTimeKind.Utc : DateTimeKind.Unspecified,

        // SQLite text carries a Z for an instant.
        "Sqlite" => sent == DateTimeKind.Unspecified ? DateTimeKind.Unspecified : DateTimeKind.Utc,

        // DATETIME has no zone.
        _ => DateTimeKind.Unspecified,
    };

    private static DateTime ValueAsDateTime(object? value) => value switch
    {
        DateTime time => time,
        string text => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        _ => throw new InvalidCastException($"Unexpected {value?.GetType().Name ?? "null"}"),
    };

    private static DateTime Trim(DateTime time) => new(time.Ticks - (time.Ticks % 10), DateTimeKind.Unspecified);

    private static string Show(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);

    private async Task CreateTableAsync()
    {
        var (zoned, plain, key) = Engine.Name switch
        {
            "PostgreSql" => ("TIMESTAMPTZ", "TIMESTAMP", "BIGSERIAL PRIMARY KEY"),
            "Sqlite" => ("TEXT", "TEXT", "INTEGER PRIMARY KEY AUTOINCREMENT"),
            _ => ("DATETIME(6)", "DATETIME(6)", "BIGINT AUTO_INCREMENT PRIMARY KEY"),
        };
        await Primary.ExecuteAsync($"DROP TABLE IF EXISTS {Q("stamps")}", cancellationToken: Cancel);
        await Primary.ExecuteAsync($"CREATE TABLE {Q("stamps")} ({Q("id")} {key}, {Q("at")} {zoned} NOT NULL, {Q("plain")} {plain} NOT NULL)", cancellationToken: Cancel);
    }

    [Table("stamps")]
    public sealed class Stamp : ActiveRecord<Stamp>
    {
        [Column("id")]
        public long Id { get; set; }

        /// <summary>A zoned column where the engine has one (timestamptz).</summary>
        [Column("at")]
        public DateTime At { get; set; }

        /// <summary>A column without a zone.</summary>
        [Column("plain")]
        public DateTime Plain { get; set; }
    }
}

public sealed class SqliteDateTimeKindTests(SqliteFixture fixture) : DateTimeKindTests<SqliteFixture>(fixture);

public sealed class PostgreSqlDateTimeKindTests(PostgreSqlFixture fixture) : DateTimeKindTests<PostgreSqlFixture>(fixture);

public sealed class MariaDbDateTimeKindTests(MariaDbFixture fixture) : DateTimeKindTests<MariaDbFixture>(fixture);

using System.ComponentModel.DataAnnotations.Schema;
using System.Globalization;
using CsCheck;
using Switchboard.IntegrationTests.Conformance.MariaDb;
using Switchboard.IntegrationTests.Conformance.PostgreSql;
using Switchboard.IntegrationTests.Conformance.Sqlite;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>
/// Random values of every supported CLR type (CsCheck), saved through <c>Save</c> and through raw parameters, read back
/// through <c>Find</c>, and compared under the documented rule: equal, except that server engines keep microseconds
/// (PostgreSQL and MariaDB store no finer time), a Utc or Local DateTime comes back as its UTC instant, and a
/// DateTimeOffset as the same instant. A failure prints the seed that reproduces it.
/// </summary>
public abstract class RandomRoundTripTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    private const int Iterations = 60;

    // Pieces that stress encodings: quotes, backslashes, accents, CJK, a surrogate pair, spaces at both ends.
    private static readonly string[] Atoms = ["a", "Z", "0", " ", "'", "\"", "\\", "%", "_", "é", "ß", "世", "\U0001F30D", "\t", "\n", "--", ";"];

    private bool KeepsTicks => Engine.Name == "Sqlite";

    [Fact]
    public async Task RandomValues_SavedThroughSaveAndThroughRawParameters_ComeBackUnderTheDocumentedRule()
    {
        await CreateTableAsync();
        var insert = InsertSql();
        var rows = 0;

        Rows(KeepsTicks).Sample(
            row =>
            {
                var saved = row.Copy();
                saved.Save();
                AssertSame(row, Random.Find(saved.Id), "Save/Find");

                var id = Primary.ExecuteRaw(insert, row.Parameters()).LastInsertId
                    ?? Primary.Scalar<long>($"SELECT MAX({Q("id")}) FROM {Q("random_values")}");
                AssertSame(row, Random.Find(id), "raw parameters");
                rows++;
            },
            iter: Iterations,
            threads: 1);

        Assert.Equal(Iterations, rows);
    }

    private void AssertSame(Random sent, Random back, string path)
    {
        var why = new List<string>();
        Check(nameof(Random.Flag), sent.Flag, back.Flag);
        Check(nameof(Random.Small), sent.Small, back.Small);
        Check(nameof(Random.Number), sent.Number, back.Number);
        Check(nameof(Random.Big), sent.Big, back.Big);
        Check(nameof(Random.Word), sent.Word, back.Word);
        Check(nameof(Random.Tally), sent.Tally, back.Tally);
        Check(nameof(Random.Amount), sent.Amount, back.Amount);
        Check(nameof(Random.Ratio), sent.Ratio, back.Ratio);
        Check(nameof(Random.Label), sent.Label, back.Label);
        Check(nameof(Random.Note), sent.Note, back.Note);
        Check(nameof(Random.Token), sent.Token, back.Token);
        Check(nameof(Random.Day), sent.Day, back.Day);
        Check(nameof(Random.TimeOfDay), sent.TimeOfDay, back.TimeOfDay);
        Check(nameof(Random.MaybeNumber), sent.MaybeNumber, back.MaybeNumber);
        Check(nameof(Random.Payload), Convert.ToHexString(sent.Payload), Convert.ToHexString(back.Payload));
        var instant = sent.At.Kind == DateTimeKind.Unspecified ? sent.At : sent.At.ToUniversalTime();
        Check(nameof(Random.At), instant.Ticks, back.At.Ticks);
        Check(nameof(Random.HappenedAt), sent.HappenedAt.UtcTicks, back.HappenedAt.UtcTicks);
        Assert.True(why.Count == 0, $"{path} on {Engine.Name}: {string.Join("; ", why)}");

        void Check<T>(string name, T expected, T actual)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
            {
                why.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: sent {expected}, read back {actual}"));
            }
        }
    }

    private static Gen<Random> Rows(bool keepsTicks)
    {
        // Server engines store microseconds: values are generated at that precision there.
        var step = keepsTicks ? 1L : 10L;
        var ticks = Gen.Long[new DateTime(1900, 1, 1).Ticks / step, new DateTime(2100, 1, 1).Ticks / step].Select(t => t * step);
        var text = Gen.Int[0, Atoms.Length - 1].Array[0, 30].Select(picks => string.Concat(picks.Select(i => Atoms[i])));
        var numbers = Gen.Select(Gen.Bool, Gen.Short, Gen.Int, Gen.Long, Gen.UShort, Gen.UInt, Gen.Int.Nullable(0.3), (flag, small, number, big, word, count, maybe) => (flag, small, number, big, word, count, maybe));
        var amounts = Gen.Select(
            Gen.Long[-999_999_999_999_999_999L, 999_999_999_999_999_999L].Select(units => units / 10000m),
            Gen.Long.Select(BitConverter.Int64BitsToDouble).Where(double.IsFinite));
        var texts = Gen.Select(text, text.Null(0.3), Gen.Byte.Array[0, 100], Gen.Guid);
        var times = Gen.Select(
            ticks,
            Gen.Int[0, 2].Select(k => (DateTimeKind)k),
            ticks,
            Gen.Int[-14 * 60, 14 * 60],
            Gen.Int[0, 2_958_464],
            ticks.Select(t => t % TimeSpan.TicksPerDay));
        return Gen.Select(numbers, amounts, texts, times, (n, a, t, d) => new Random
        {
            Flag = n.flag,
            Small = n.small,
            Number = n.number,
            Big = n.big,
            Word = n.word,
            Tally = n.count,
            MaybeNumber = n.maybe,
            Amount = a.Item1,
            Ratio = a.Item2,
            Label = t.Item1,
            Note = t.Item2,
            Payload = t.Item3,
            Token = t.Item4,
            At = new DateTime(d.Item1, d.Item2),
            HappenedAt = new DateTimeOffset(d.Item3, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(d.Item4)),
            Day = DateOnly.FromDayNumber(d.Item5 % DateOnly.MaxValue.DayNumber),
            TimeOfDay = new TimeOnly(d.Item6),
        });
    }

    private string InsertSql()
    {
        var columns = Random.ColumnNames;
        return $"INSERT INTO {Q("random_values")} ({string.Join(", ", columns.Select(Q))}) VALUES ({string.Join(", ", columns.Select(P))})";
    }

    private async Task CreateTableAsync()
    {
        var t = Engine.Name switch
        {
            "PostgreSql" => new[] { "BIGSERIAL PRIMARY KEY", "BOOLEAN", "SMALLINT", "INTEGER", "BIGINT", "INTEGER", "BIGINT", "NUMERIC(18,4)", "DOUBLE PRECISION", "TEXT", "BYTEA", "UUID", "TIMESTAMP", "TIMESTAMPTZ", "DATE", "TIME" },
            "Sqlite" => ["INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "TEXT", "REAL", "TEXT", "BLOB", "BLOB", "TEXT", "TEXT", "TEXT", "TEXT"],
            _ => ["BIGINT AUTO_INCREMENT PRIMARY KEY", "BOOLEAN", "SMALLINT", "INT", "BIGINT", "SMALLINT UNSIGNED", "INT UNSIGNED", "DECIMAL(18,4)", "DOUBLE", "VARCHAR(200)", "VARBINARY(200)", "CHAR(36)", "DATETIME(6)", "DATETIME(6)", "DATE", "TIME(6)"],
        };
        string[] names = ["id", "flag", "small", "number", "big", "word", "count", "amount", "ratio", "label", "payload", "token", "at", "happened_at", "day", "time_of_day"];
        var columns = names.Select((n, i) => $"{Q(n)} {t[i]}{(i == 0 ? "" : " NOT NULL")}")
            .Append($"{Q("note")} {t[9]}").Append($"{Q("maybe_number")} {t[3]}");
        await Primary.ExecuteAsync($"DROP TABLE IF EXISTS {Q("random_values")}", cancellationToken: Cancel);
        await Primary.ExecuteAsync($"CREATE TABLE {Q("random_values")} ({string.Join(", ", columns)})", cancellationToken: Cancel);
    }

    [Table("random_values")]
    public sealed class Random : ActiveRecord<Random>
    {
        public static readonly string[] ColumnNames = ["flag", "small", "number", "big", "word", "count", "amount", "ratio", "label", "note", "payload", "token", "at", "happened_at", "day", "time_of_day", "maybe_number"];

        [Column("id")] public long Id { get; set; }

        [Column("flag")] public bool Flag { get; set; }

        [Column("small")] public short Small { get; set; }

        [Column("number")] public int Number { get; set; }

        [Column("big")] public long Big { get; set; }

        [Column("word")] public ushort Word { get; set; }

        [Column("count")] public uint Tally { get; set; }

        [Column("amount")] public decimal Amount { get; set; }

        [Column("ratio")] public double Ratio { get; set; }

        [Column("label")] public string Label { get; set; } = "";

        [Column("note")] public string? Note { get; set; }

        [Column("payload")] public byte[] Payload { get; set; } = [];

        [Column("token")] public Guid Token { get; set; }

        [Column("at")] public DateTime At { get; set; }

        [Column("happened_at")] public DateTimeOffset HappenedAt { get; set; }

        [Column("day")] public DateOnly Day { get; set; }

        [Column("time_of_day")] public TimeOnly TimeOfDay { get; set; }

        [Column("maybe_number")] public int? MaybeNumber { get; set; }

        public Random Copy() => (Random)MemberwiseClone();

        public Dictionary<string, object?> Parameters() => new()
        {
            ["flag"] = Flag, ["small"] = Small, ["number"] = Number, ["big"] = Big, ["word"] = Word, ["count"] = Tally,
            ["amount"] = Amount, ["ratio"] = Ratio, ["label"] = Label, ["note"] = Note, ["payload"] = Payload, ["token"] = Token,
            ["at"] = At, ["happened_at"] = HappenedAt, ["day"] = Day, ["time_of_day"] = TimeOfDay, ["maybe_number"] = MaybeNumber,
        };

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Flag} {Small} {Number} {Big} {Word} {Tally} {Amount} {Ratio:R} '{Label}' '{Note}' {Convert.ToHexString(Payload)} {Token} {At:O} {At.Kind} {HappenedAt:O} {Day} {TimeOfDay:O} {MaybeNumber}");
    }
}

public sealed class SqliteRandomRoundTripTests(SqliteFixture fixture) : RandomRoundTripTests<SqliteFixture>(fixture);

public sealed class PostgreSqlRandomRoundTripTests(PostgreSqlFixture fixture) : RandomRoundTripTests<PostgreSqlFixture>(fixture);

public sealed class MariaDbRandomRoundTripTests(MariaDbFixture fixture) : RandomRoundTripTests<MariaDbFixture>(fixture);

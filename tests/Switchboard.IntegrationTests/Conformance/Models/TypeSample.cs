using System.ComponentModel.DataAnnotations.Schema;

namespace Switchboard.IntegrationTests.Conformance.Models;

/// <summary>One property of every type Switchboard maps, and a nullable twin of each, for round trips.</summary>
[Table("type_samples")]
public class TypeSample : ActiveRecord<TypeSample>
{
    [Column("id")]
    public long Id { get; set; }

    [Column("flag")]
    public bool Flag { get; set; }

    [Column("small")]
    public short Small { get; set; }

    [Column("number")]
    public int Number { get; set; }

    [Column("big")]
    public long Big { get; set; }

    [Column("amount")]
    public decimal Amount { get; set; }

    [Column("ratio")]
    public double Ratio { get; set; }

    [Column("label")]
    public string Label { get; set; } = "";

    [Column("payload")]
    public byte[] Payload { get; set; } = [];

    [Column("token")]
    public Guid Token { get; set; }

    [Column("created_at")]
    public DateTime CreatedAt { get; set; }

    [Column("happened_at")]
    public DateTimeOffset HappenedAt { get; set; }

    [Column("day")]
    public DateOnly Day { get; set; }

    [Column("time_of_day")]
    public TimeOnly TimeOfDay { get; set; }

    [Column("mood")]
    public Mood Mood { get; set; }

    [Column("maybe_flag")]
    public bool? MaybeFlag { get; set; }

    [Column("maybe_small")]
    public short? MaybeSmall { get; set; }

    [Column("maybe_number")]
    public int? MaybeNumber { get; set; }

    [Column("maybe_big")]
    public long? MaybeBig { get; set; }

    [Column("maybe_amount")]
    public decimal? MaybeAmount { get; set; }

    [Column("maybe_ratio")]
    public double? MaybeRatio { get; set; }

    [Column("maybe_label")]
    public string? MaybeLabel { get; set; }

    [Column("maybe_payload")]
    public byte[]? MaybePayload { get; set; }

    [Column("maybe_token")]
    public Guid? MaybeToken { get; set; }

    [Column("maybe_created_at")]
    public DateTime? MaybeCreatedAt { get; set; }

    [Column("maybe_happened_at")]
    public DateTimeOffset? MaybeHappenedAt { get; set; }

    [Column("maybe_day")]
    public DateOnly? MaybeDay { get; set; }

    [Column("maybe_time_of_day")]
    public TimeOnly? MaybeTimeOfDay { get; set; }

    [Column("maybe_mood")]
    public Mood? MaybeMood { get; set; }

    /// <summary>A sample with every value set, chosen to catch truncation, time zones and encodings.</summary>
    public static TypeSample Full() => new()
    {
        Flag = true,
        Small = -12345,
        Number = int.MinValue + 1,
        Big = long.MaxValue - 1,
        Amount = 12345678901234.5678m,
        Ratio = Math.PI,
        Label = "Grüße, 世界 — \U0001F30D 'quoted' \\ back",
        Payload = [0, 1, 2, 254, 255, 0],
        Token = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7"),
        CreatedAt = new DateTime(2026, 2, 28, 23, 59, 58, DateTimeKind.Unspecified).AddTicks(1234560),
        HappenedAt = new DateTimeOffset(2026, 3, 1, 1, 2, 3, TimeSpan.FromHours(5.5)).AddTicks(6543210),
        Day = new DateOnly(1999, 12, 31),
        TimeOfDay = new TimeOnly(13, 45, 30).Add(TimeSpan.FromTicks(1234560)),
        Mood = Mood.Grumpy,
        MaybeFlag = false,
        MaybeSmall = 7,
        MaybeNumber = 42,
        MaybeBig = -9_000_000_000,
        MaybeAmount = -0.0001m,
        MaybeRatio = -1.5e-10,
        MaybeLabel = "",
        MaybePayload = [],
        MaybeToken = Guid.Parse("00000000-0000-0000-0000-000000000001"),
        MaybeCreatedAt = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        MaybeHappenedAt = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero),
        MaybeDay = new DateOnly(2026, 1, 1),
        MaybeTimeOfDay = TimeOnly.MinValue,
        MaybeMood = Mood.Cheerful,
    };
}

using System.Globalization;
using Switchboard.IntegrationTests.Conformance.Models;

namespace Switchboard.IntegrationTests.Conformance;

/// <summary>Every mapped type, and a nullable twin of each, saved and read back unchanged, and bound as parameters in Where.</summary>
public abstract class TypeRoundTripTests<TFixture>(TFixture fixture) : ConformanceTests<TFixture>(fixture)
    where TFixture : EngineFixture
{
    [Fact]
    public void Types_RoundTripThroughSaveAndFind_WithValuesAndWithNulls()
    {
        var full = TypeSample.Full();
        var nulls = Minimal("nulls");

        full.Save();
        nulls.Save();

        AssertSameValues(Expected(full), TypeSample.Find(full.Id));
        AssertSameValues(nulls, TypeSample.Find(nulls.Id));
    }

    [Fact]
    public async Task Types_RoundTripThroughAnUpdateAndAsyncReads()
    {
        var sample = Minimal("to update");
        await sample.SaveAsync(Cancel);
        var full = TypeSample.Full();
        full.Id = sample.Id;
        var loaded = await TypeSample.FindAsync(sample.Id, Cancel);
        foreach (var property in typeof(TypeSample).GetProperties().Where(p => p.Name != nameof(TypeSample.Id)))
        {
            property.SetValue(loaded, property.GetValue(full));
        }

        await loaded.SaveAsync(Cancel);

        AssertSameValues(Expected(full), (await TypeSample.Where(t => t.Id == sample.Id).AllAsync(Cancel)).Single());
    }

    [Fact]
    public void Extremes_RoundTrip()
    {
        var sample = Minimal("extremes");
        sample.Small = short.MinValue;
        sample.Number = int.MaxValue;
        sample.Big = long.MinValue + 1;
        sample.Amount = -99999999999999.9999m;
        sample.Ratio = double.Epsilon * 1e300;
        sample.Label = new string('x', 150) + "\U0001F680";
        sample.Payload = [.. Enumerable.Range(0, 200).Select(i => (byte)i)];
        sample.Token = Guid.Parse("ffffffff-ffff-ffff-ffff-fffffffffffe");
        sample.Day = new DateOnly(1900, 1, 1);
        sample.TimeOfDay = new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9999990));
        sample.MaybeNumber = 0;
        sample.MaybeRatio = 0d;
        sample.MaybeAmount = 0m;

        sample.Save();

        AssertSameValues(sample, TypeSample.Find(sample.Id));
    }

    [Fact]
    public void Types_BindAsParametersInWhere()
    {
        var full = TypeSample.Full();
        full.Save();
        Minimal("other").Save();

        Assert.Equal(full.Id, TypeSample.Where(t => t.Token == full.Token).First().Id);
        Assert.Equal(full.Id, TypeSample.Where(t => t.Day == full.Day && t.Mood == Mood.Grumpy && t.Flag).First().Id);
        Assert.Equal(full.Id, TypeSample.Where(t => t.HappenedAt == full.HappenedAt && t.CreatedAt == full.CreatedAt).First().Id);
        Assert.Equal(full.Id, TypeSample.Where(t => t.MaybeMood == Mood.Cheerful && t.MaybeToken != null).First().Id);
        Assert.Equal(full.Id, TypeSample.Where(t => t.Label == full.Label && t.Small == full.Small && t.Big == full.Big).First().Id);
        Assert.Equal(full.Id, TypeSample.Where(t => t.Amount == full.Amount && t.Number == full.Number && t.Ratio == full.Ratio).First().Id);
        Assert.Equal(full.Id, TypeSample.Where(t => t.TimeOfDay == full.TimeOfDay).First().Id);
        Assert.Equal(full.Id, TypeSample.Where(t => t.MaybeDay == full.MaybeDay && t.MaybeBig == full.MaybeBig && t.MaybeFlag == false).First().Id);
        Assert.Equal(full.Id, TypeSample.Where(new { token = full.Token, day = full.Day, mood = full.Mood }).First().Id);
        Assert.Equal(full.Id, TypeSample.Where(t => t.Day > new DateOnly(1999, 1, 1) && t.Day < new DateOnly(2000, 1, 1)).First().Id);
        Assert.Equal("other", TypeSample.Where(t => t.MaybeToken == null && t.MaybeMood == null && t.MaybeDay == null).First().Label);
    }

    /// <summary>A sample with every non-nullable value set and every nullable one null.</summary>
    private static TypeSample Minimal(string label) => new()
    {
        Label = label,
        Payload = [1],
        Token = Guid.NewGuid(),
        CreatedAt = new DateTime(2026, 1, 1),
        HappenedAt = DateTimeOffset.UnixEpoch,
        Day = new DateOnly(2000, 1, 1),
        Mood = Mood.Calm,
    };

    /// <summary>What the engine gives back for <paramref name="saved"/>: Oracle stores empty strings and bytes as NULL.</summary>
    private TypeSample Expected(TypeSample saved)
    {
        if (Engine.EmptyIsNull)
        {
            saved.MaybeLabel = saved.MaybeLabel is "" ? null : saved.MaybeLabel;
            saved.MaybePayload = saved.MaybePayload is [] ? null : saved.MaybePayload;
        }

        return saved;
    }

    private static void AssertSameValues(TypeSample expected, TypeSample actual)
    {
        foreach (var property in typeof(TypeSample).GetProperties())
        {
            var (want, got) = (property.GetValue(expected), property.GetValue(actual));
            var same = want is byte[] bytes ? got is byte[] other && bytes.AsSpan().SequenceEqual(other) : Equals(want, got);
            Assert.True(same, $"{property.Name}: saved {Show(want)}, read back {Show(got)}");
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Convert.ToHexString(bytes),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture) + " " + time.Kind,
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        _ => $"{value} ({value.GetType().Name})",
    };
}

using System.Collections.ObjectModel;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.Connections;

public class ParameterBinderTests
{
    private static readonly Switchboard.Dialects.SqlDialect Standard = new Sqlite.SqliteDialect();

    [Fact]
    public void LocalDateTime_IsSentAsTheSameInstantInUtc_WhateverTheZone()
    {
        var local = new DateTime(2026, 7, 4, 12, 34, 56, DateTimeKind.Local);

        var sent = Assert.IsType<DateTime>(ParameterBinder.ToDbValue(new PostgreSql.PostgreSqlDialect(), local));

        Assert.Equal(DateTimeKind.Utc, sent.Kind);
        Assert.Equal(local.ToUniversalTime().Ticks, sent.Ticks);
    }

    [Theory]
    [InlineData(DateTimeKind.Utc)]
    [InlineData(DateTimeKind.Local)]
    public void InstantDateTime_OnSqlite_IsTextEndingInZ_WithTheUtcWallClock(DateTimeKind kind)
    {
        var value = new DateTime(2026, 7, 4, 12, 34, 56, kind).AddTicks(5);

        var sent = Assert.IsType<string>(ParameterBinder.ToDbValue(Standard, value));

        Assert.Equal(value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture), sent);
    }

    [Fact]
    public void UnspecifiedDateTime_IsSentAsGiven()
    {
        var value = new DateTime(2026, 7, 4, 12, 34, 56, DateTimeKind.Unspecified);

        Assert.Equal(value, ParameterBinder.ToDbValue(new PostgreSql.PostgreSqlDialect(), value));
    }

    [Theory]
    [InlineData(1, 2, true)]
    [InlineData(1, 2L, false)]
    [InlineData("a", 1, false)]
    [InlineData(null, 1, false)]
    public void SameWireType_ComparesTypes(object? previous, object next, bool same) =>
        Assert.Equal(same, ParameterBinder.SameWireType(previous, next));

    [Fact]
    public void SameWireType_TellsDateTimeKindsApart()
    {
        var utc = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        Assert.False(ParameterBinder.SameWireType(utc, DateTime.SpecifyKind(utc, DateTimeKind.Unspecified)));
        Assert.True(ParameterBinder.SameWireType(utc, utc.AddDays(1)));
    }

    [Fact]
    public async Task StringDictionary_BindsItsEntries_NotItsProperties()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");
        var parameters = new Dictionary<string, string> { ["a"] = "x", ["b"] = "y" };

        Assert.Equal("xy", connection.Scalar<string>("SELECT @a || @b", parameters));
        Assert.Equal("xy", await connection.ScalarAsync<string>("SELECT @a || @b", new ReadOnlyDictionary<string, string>(parameters), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UnsupportedParameterType_OnSqlite_IsRefusedNamingTheParameterAndType()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");

        var error = Assert.Throws<ArgumentException>(() => connection.Scalar<string>("SELECT @version", new { version = new Version(1, 2) }));
        var asyncError = await Assert.ThrowsAsync<ArgumentException>(() => connection.ExecuteAsync("SELECT @when", new { when = new Uri("https://example.com/secret") }, TestContext.Current.CancellationToken));

        Assert.Contains("'version'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Version", error.Message, StringComparison.Ordinal);
        Assert.Contains("'when'", asyncError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", asyncError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypedDictionaries_OfAnyValueType_BindTheirEntries()
    {
        using var db = new TestDatabase();
        var connection = db.Sqlite("primary");

        Assert.Equal(5L, connection.Scalar<long>("SELECT @a + @b", new Dictionary<string, int> { ["a"] = 2, ["b"] = 3 }));
        Assert.Equal(5L, connection.Scalar<long>("SELECT @a + @b", new SortedList<string, long> { ["a"] = 2, ["b"] = 3 }));
        Assert.Equal(5L, connection.Scalar<long>("SELECT @a + @b", new System.Collections.Hashtable { ["a"] = 2, ["b"] = 3 }));
    }
}

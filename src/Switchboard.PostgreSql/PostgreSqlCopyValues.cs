using System.Globalization;
using NpgsqlTypes;

namespace Switchboard.PostgreSql;

/// <summary>
/// Fits a value to the type of the column a binary COPY writes it into, where the server would have converted a
/// parameter itself: an integer of another width, a text holding a date (SQLite's), a DateTime whose Kind the column's
/// type demands (a session in UTC, as Switchboard's are, reads an unqualified timestamp as UTC).
/// </summary>
internal static class PostgreSqlCopyValues
{
    public static object Fit(object value, Type column, NpgsqlDbType? type)
    {
        if (value is DateTime time)
        {
            return type switch
            {
                NpgsqlDbType.TimestampTz when time.Kind != DateTimeKind.Utc => DateTime.SpecifyKind(time, DateTimeKind.Utc),
                NpgsqlDbType.Timestamp when time.Kind == DateTimeKind.Utc => DateTime.SpecifyKind(time, DateTimeKind.Unspecified),
                _ => value,
            };
        }

        if (value is DateTimeOffset offset && type == NpgsqlDbType.Timestamp)
        {
            return DateTime.SpecifyKind(offset.UtcDateTime, DateTimeKind.Unspecified);
        }

        if (column.IsInstanceOfType(value) || column == typeof(object))
        {
            return value;
        }

        if (value is string text)
        {
            return column switch
            {
                _ when column == typeof(DateTime) => Fit(DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), column, type),
                _ when column == typeof(DateTimeOffset) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).ToUniversalTime(),
                _ when column == typeof(Guid) => Guid.Parse(text),
                _ when column == typeof(TimeSpan) => TimeSpan.Parse(text, CultureInfo.InvariantCulture),
                _ when column == typeof(DateOnly) => DateOnly.Parse(text, CultureInfo.InvariantCulture),
                _ when column == typeof(TimeOnly) => TimeOnly.Parse(text, CultureInfo.InvariantCulture),
                _ when IsNumber(column) || column == typeof(bool) => Convert.ChangeType(text, column, CultureInfo.InvariantCulture),
                _ => value,
            };
        }

        if ((IsNumber(value.GetType()) || value is bool) && (IsNumber(column) || column == typeof(bool)))
        {
            return Convert.ChangeType(value, column, CultureInfo.InvariantCulture);
        }

        if (value is byte[] { Length: 16 } bytes && column == typeof(Guid))
        {
            return new Guid(bytes);
        }

        return value;
    }

    private static bool IsNumber(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) || type == typeof(decimal)
        || type == typeof(double) || type == typeof(float) || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong);
}

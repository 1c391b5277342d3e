using System.Globalization;

namespace Switchboard;

/// <summary>Converts a value read from a driver to the type the caller asked for (integers widen or narrow, text parses).</summary>
internal static class ValueConverter
{
    public static T? To<T>(object? value)
    {
        if (value is null or DBNull)
        {
            return default;
        }

        if (value is T typed)
        {
            return typed;
        }

        return (T?)To(value, typeof(T));
    }

    /// <summary>Converts without boxing the result: an exact type is unboxed, common integer widenings are direct.</summary>
    public static T ToExactly<T>(object? value) => value switch
    {
        T exact => exact,
        null or DBNull => default!,
        long wide when typeof(T) == typeof(int) => (T)(object)checked((int)wide),
        long wide when typeof(T) == typeof(int?) => (T)(object)checked((int)wide),
        _ => To<T>(value)!,
    };

    public static object? To(object? value, Type type)
    {
        if (value is null or DBNull)
        {
            return null;
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsInstanceOfType(value))
        {
            return value;
        }

        try
        {
            if (target.IsEnum)
            {
                return value is string name ? Enum.Parse(target, name, ignoreCase: true) : Enum.ToObject(target, Convert.ChangeType(value, Enum.GetUnderlyingType(target), CultureInfo.InvariantCulture));
            }

            if (target == typeof(Guid))
            {
                return value switch
                {
                    string s => Guid.Parse(s),
                    byte[] bytes => new Guid(bytes),
                    _ => throw new InvalidCastException(),
                };
            }

            if (target == typeof(DateTimeOffset))
            {
                return value switch
                {
                    DateTime dt => new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt),
                    string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture),
                    _ => throw new InvalidCastException(),
                };
            }

            if (target == typeof(DateOnly))
            {
                return value switch
                {
                    DateTime dt => DateOnly.FromDateTime(dt),
                    string s => DateOnly.Parse(s, CultureInfo.InvariantCulture),
                    _ => throw new InvalidCastException(),
                };
            }

            if (target == typeof(TimeOnly))
            {
                return value switch
                {
                    TimeSpan ts => TimeOnly.FromTimeSpan(ts),
                    DateTime dt => TimeOnly.FromDateTime(dt),
                    string s => TimeOnly.Parse(s, CultureInfo.InvariantCulture),
                    _ => throw new InvalidCastException(),
                };
            }

            if (target == typeof(TimeSpan) && value is string span)
            {
                return TimeSpan.Parse(span, CultureInfo.InvariantCulture);
            }

            if (target == typeof(DateTime) && value is string date)
            {
                return DateTime.Parse(date, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            }

            return Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is InvalidCastException or FormatException or OverflowException or ArgumentException)
        {
            throw new InvalidCastException($"A {value.GetType().Name} value read from the database cannot be converted to {type.Name}. Change the property or requested type to match the column.", exception);
        }
    }
}

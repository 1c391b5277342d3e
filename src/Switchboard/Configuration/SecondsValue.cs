using System.Globalization;

namespace Switchboard;

/// <summary>
/// How every duration key is written: a number of seconds (a number, or text of one, in the invariant culture), or a
/// <see cref="TimeSpan"/> (or text of one, <c>00:00:30</c>). Each key's reader adds its own range checks and errors.
/// </summary>
internal static class SecondsValue
{
    /// <summary>Reads <paramref name="value"/> as a duration.</summary>
    /// <param name="value">The configured value, not null.</param>
    /// <param name="span">The duration when it was given as a <see cref="TimeSpan"/>, or null when given in seconds.</param>
    /// <param name="seconds">The number of seconds when given as a number (unchecked: it may be negative, NaN or huge).</param>
    /// <returns>False when the value is neither.</returns>
    public static bool TryRead(object value, out TimeSpan? span, out double seconds)
    {
        span = null;
        seconds = 0;
        switch (value)
        {
            case TimeSpan given:
                span = given;
                return true;
            case int or long or short or double or float or decimal:
                seconds = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                return true;
            case string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                seconds = parsed;
                return true;
            case string s when TimeSpan.TryParse(s.Trim(), CultureInfo.InvariantCulture, out var parsedSpan):
                span = parsedSpan;
                return true;
            default:
                return false;
        }
    }
}

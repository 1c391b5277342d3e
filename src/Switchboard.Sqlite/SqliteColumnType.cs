using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchboard.Sqlite;

/// <summary>What SQLite makes of a declared column type, by the rules of "Datatypes In SQLite", section 3.1.</summary>
internal static partial class SqliteColumnType
{
    /// <summary>The most significant digits an 8-byte REAL holds exactly, and what SQLite keeps of a number it converts.</summary>
    public const int ExactDigits = 15;

    /// <summary>The column's affinity: INTEGER, TEXT, BLOB, REAL or NUMERIC.</summary>
    public static string Affinity(string declared)
    {
        var type = declared.ToUpperInvariant();
        return type switch
        {
            _ when type.Contains("INT", StringComparison.Ordinal) => "INTEGER",
            _ when type.Contains("CHAR", StringComparison.Ordinal) || type.Contains("CLOB", StringComparison.Ordinal) || type.Contains("TEXT", StringComparison.Ordinal) => "TEXT",
            _ when type.Contains("BLOB", StringComparison.Ordinal) || type.Trim().Length == 0 => "BLOB",
            _ when type.Contains("REAL", StringComparison.Ordinal) || type.Contains("FLOA", StringComparison.Ordinal) || type.Contains("DOUB", StringComparison.Ordinal) => "REAL",
            _ => "NUMERIC",
        };
    }

    /// <summary>The precision declared in parentheses (<c>NUMERIC(10,2)</c> gives 10), or null when there is none.</summary>
    public static int? DeclaredPrecision(string declared)
    {
        var match = Precision().Match(declared);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var digits) ? digits : null;
    }

    /// <summary>The digits from the first non-zero one to the last non-zero one: 12345678901234.5678 has 18, 0.00120 has 2.</summary>
    public static int SignificantDigits(decimal number)
    {
        var digits = Math.Abs(number).ToString(CultureInfo.InvariantCulture).Replace(".", "", StringComparison.Ordinal).Trim('0');
        return digits.Length;
    }

    [GeneratedRegex(@"\(\s*(\d+)\s*(?:,\s*\d+\s*)?\)")]
    private static partial Regex Precision();
}

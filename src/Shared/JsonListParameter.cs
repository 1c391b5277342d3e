using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Switchboard.Providers;

/// <summary>
/// A list of values sent as one JSON array parameter that the engine reads back as rows (SQLite's <c>json_each</c>,
/// SQL Server's <c>OPENJSON</c>). Only values JSON keeps exactly are written: integers, text, booleans and, where the
/// engine reads them back, GUIDs. Compiled into each provider package that sends such lists, as an internal type of it.
/// </summary>
internal static class JsonListParameter
{
    /// <summary>The kind every value has, or null when they differ or one is of a kind JSON does not keep exactly.</summary>
    public static JsonListKind? KindOf(IReadOnlyList<object> values)
    {
        JsonListKind? kind = null;
        foreach (var value in values)
        {
            JsonListKind? next = value switch
            {
                long or int or short or byte or sbyte or ushort or uint => JsonListKind.Integer,
                string => JsonListKind.Text,
                bool => JsonListKind.Boolean,
                Guid => JsonListKind.Guid,
                _ => null,
            };
            if (next is null || (kind is not null && kind != next))
            {
                return null;
            }

            kind = next;
        }

        return kind;
    }

    /// <summary>The JSON array text; a boolean is written as 1 or 0, as the drivers send one.</summary>
    /// <exception cref="NotSupportedException">A value is of a kind JSON does not keep exactly.</exception>
    public static string Write(IReadOnlyList<object> values)
    {
        // Room for a short number or GUID each, so that the buffer rarely grows.
        var buffer = new ArrayBufferWriter<byte>((values.Count * 8) + 2);
        // Validation off: this method writes one array of values, which cannot be malformed.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            json.WriteStartArray();
            foreach (var value in values)
            {
                switch (value)
                {
                    case string text:
                        json.WriteStringValue(text);
                        break;
                    case Guid guid:
                        json.WriteStringValue(guid);
                        break;
                    case bool flag:
                        json.WriteNumberValue(flag ? 1 : 0);
                        break;
                    case int number:
                        json.WriteNumberValue(number);
                        break;
                    case long number:
                        json.WriteNumberValue(number);
                        break;
                    case uint number:
                        json.WriteNumberValue(number);
                        break;
                    case short or byte or sbyte or ushort:
                        json.WriteNumberValue(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    default:
                        throw new NotSupportedException($"A {value.GetType().Name} value cannot be sent in a JSON list parameter; only integers, text, booleans and GUIDs can.");
                }
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>The kind of the values of a JSON list parameter.</summary>
internal enum JsonListKind
{
    /// <summary>Whole numbers that fit a 64-bit integer.</summary>
    Integer,

    /// <summary>Text.</summary>
    Text,

    /// <summary>True or false, written 1 or 0.</summary>
    Boolean,

    /// <summary>GUIDs, written in the 36-character form.</summary>
    Guid,
}

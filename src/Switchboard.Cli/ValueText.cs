using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.Cli;

/// <summary>Renders a column value the same way on every machine: invariant culture, ISO 8601, NULL for database NULL.</summary>
internal static class ValueText
{
    public const string Null = "NULL";

    /// <summary>The value as table text.</summary>
    public static string ForTable(object? value) => value switch
    {
        null => Null,
        string s => s,
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        bool b => b ? "true" : "false",
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("O", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("O", CultureInfo.InvariantCulture),
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(ForTable)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Writes the value as JSON: numbers as numbers (exact for decimals), null as null, bytes as base64.</summary>
    public static void WriteJson(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case Guid g:
                writer.WriteStringValue(g);
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                // Infinity, NaN, dates, times and engine-specific types: their invariant text.
                writer.WriteStringValue(ForTable(value));
                break;
        }
    }

    /// <summary>The result as a JSON document: its columns in order, its rows as objects, and the rows it changed.</summary>
    public static string Json(QueryResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("columns");
            foreach (var column in result.Columns)
            {
                writer.WriteStringValue(column);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("rows");
            foreach (var row in result.Rows)
            {
                writer.WriteStartObject();
                foreach (var column in result.Columns)
                {
                    writer.WritePropertyName(column);
                    WriteJson(writer, row[column]);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("affected_rows", result.AffectedRows);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Switchboard.Routing.Replicas;

/// <summary>
/// The text of <c>ConnectionManager.CausalToken</c>: per connection name, the primary's position after the flow's last
/// write and when it was made, as base64url (safe in URLs, cookies and headers). Opaque to users; read back strictly.
/// </summary>
internal static class CausalToken
{
    private const string Version = "sb1";
    private const int MaxLength = 8192;

    public static string? Encode(CausalSession? session)
    {
        if (session is null)
        {
            return null;
        }

        var text = new StringBuilder(Version);
        var any = false;
        foreach (var (name, mark) in session.OwnMarks.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            any = true;
            text.Append('|').Append(Uri.EscapeDataString(name))
                .Append(',').Append(mark.Position is null ? "" : Uri.EscapeDataString(mark.Position))
                .Append(',').Append(mark.WrittenAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(mark.PositionUnknown ? '1' : '0');
        }

        return any ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text.ToString())) : null;
    }

    /// <summary>The marks a token carries.</summary>
    /// <exception cref="ArgumentException">The text is not a token this library made.</exception>
    public static List<(string Name, CausalMark Mark)> Decode(string token)
    {
        var marks = new List<(string, CausalMark)>();
        if (token.Length > MaxLength)
        {
            throw Invalid($"it is {token.Length} characters long, more than any token Switchboard makes ({MaxLength})");
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw Invalid("it is not base64url text");
        }

        var parts = text.Split('|');
        if (parts[0] != Version)
        {
            throw Invalid("it does not start with Switchboard's token version");
        }

        foreach (var part in parts.Skip(1))
        {
            var fields = part.Split(',');
            if (fields.Length != 4
                || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var millis)
                || fields[3] is not ("0" or "1"))
            {
                throw Invalid("one of its entries is malformed");
            }

            DateTimeOffset writtenAt;
            try
            {
                writtenAt = DateTimeOffset.FromUnixTimeMilliseconds(millis);
            }
            catch (ArgumentOutOfRangeException)
            {
                throw Invalid("one of its times is out of range");
            }

            var name = Uri.UnescapeDataString(fields[0]);
            var position = fields[1].Length == 0 ? null : Uri.UnescapeDataString(fields[1]);
            if (name.Length == 0)
            {
                throw Invalid("one of its entries has no connection name");
            }

            marks.Add((name, new CausalMark(position, writtenAt, fields[3] == "1")));
        }

        return marks;
    }

    private static ArgumentException Invalid(string why) => new(
        $"The causal token cannot be read: {why}. Pass ContinueAfter the exact text of ConnectionManager.CausalToken from an earlier flow (or null).");
}

using System.Text;

namespace Switchboard;

/// <summary>Applies a <see cref="NamingConvention"/> to one declared name.</summary>
internal static class Naming
{
    public static string Apply(NamingConvention convention, string name) => convention switch
    {
        NamingConvention.SnakeCase => ToSnakeCase(name),
        _ => name,
    };

    /// <summary><c>InvoiceId</c> → <c>invoice_id</c>, <c>HTTPStatus</c> → <c>http_status</c>, <c>Counter1</c> → <c>counter1</c>; already snake_case names stay.</summary>
    public static string ToSnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previous = i > 0 ? name[i - 1] : '\0';
                var next = i + 1 < name.Length ? name[i + 1] : '\0';
                var startsWord = i > 0 && previous != '_' && (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && char.IsLower(next)));
                if (startsWord)
                {
                    text.Append('_');
                }

                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}

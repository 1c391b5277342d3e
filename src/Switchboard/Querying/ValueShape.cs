using System.Collections;

namespace Switchboard.Querying;

/// <summary>
/// What of a captured value the SQL of a predicate may depend on: null or not, which bool or
/// <see cref="StringComparison"/>, an empty string, and a collection's count of values and whether it holds a null.
/// Two runs of one predicate shape whose values agree on these get the same SQL; anything else of a value is a parameter.
/// </summary>
internal static class ValueShape
{
    private const long NonNull = 4;
    private const long Collection = 1L << 40;

    public static long Of(object? value) => value switch
    {
        null => 0,
        bool flag => flag ? 2 : 1,
        string text => text.Length == 0 ? 3 : NonNull,
        StringComparison comparison => 16 + (long)comparison,
        Array { Rank: 1 } array when array.GetType().GetElementType() is { IsValueType: true } element && Nullable.GetUnderlyingType(element) is null =>
            Collection | ((long)array.Length << 1),
        IEnumerable items => Collection | Count(items),
        _ => NonNull,
    };

    /// <summary>The values of a collection that are not null, for the items of an IN list.</summary>
    public static object?[] NonNullItems(object collection)
    {
        var items = new List<object?>();
        foreach (var item in (IEnumerable)collection)
        {
            if (item is not null)
            {
                items.Add(item);
            }
        }

        return [.. items];
    }

    private static long Count(IEnumerable items)
    {
        long count = 0;
        var hasNull = 0L;
        foreach (var item in items)
        {
            if (item is null)
            {
                hasNull = 1;
            }
            else
            {
                count++;
            }
        }

        return (count << 1) | hasNull;
    }
}

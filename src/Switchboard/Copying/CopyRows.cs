using System.Data.Common;

namespace Switchboard.Copying;

/// <summary>Turns the current row of a source reader into the target's column values (CLR values; the reader converts them for the engine).</summary>
internal abstract class CopyRows
{
    /// <summary>The target's column names (unquoted) and quoted names, in the order values are produced.</summary>
    public abstract IReadOnlyList<string> Columns { get; }

    public abstract IReadOnlyList<string> QuotedColumns { get; }

    /// <summary>The CLR type of each column's values, for writers that ask.</summary>
    public abstract Type FieldType(int column);

    /// <summary>Whether rows have a key to name in messages.</summary>
    public abstract bool HasKey { get; }

    /// <summary>The current row's key as the source driver gives it (null when there is none), read before the row's values so that a row that cannot be read is still named.</summary>
    public abstract object? Key(DbDataReader source);

    /// <summary>Fills <paramref name="values"/> from the reader's current row.</summary>
    public abstract void Read(DbDataReader source, object?[] values);

    /// <summary>A value of the source reader, null for NULL.</summary>
    protected static object? ValueAt(DbDataReader source, int ordinal)
    {
        var value = source.GetValue(ordinal);
        return value is DBNull ? null : value;
    }
}

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

    /// <summary>Fills <paramref name="values"/> from the reader's current row and returns the row's key (null when there is none).</summary>
    public abstract object? Read(DbDataReader source, object?[] values);
}

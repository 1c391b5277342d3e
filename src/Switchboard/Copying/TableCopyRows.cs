using System.Data.Common;

namespace Switchboard.Copying;

/// <summary>A table's rows as the source driver gives them, each source column sent to the target column of the same name.</summary>
internal sealed class TableCopyRows : CopyRows
{
    private readonly int[] _ordinals;
    private readonly Type[] _types;
    private readonly int _keyOrdinal;

    /// <param name="ordinals">For each target column, the source reader's ordinal.</param>
    /// <param name="columns">The target's names of those columns.</param>
    /// <param name="quotedColumns">The same, quoted for the target.</param>
    /// <param name="types">The source's CLR type of each.</param>
    /// <param name="keyOrdinal">The source ordinal of the key, or -1.</param>
    public TableCopyRows(int[] ordinals, string[] columns, string[] quotedColumns, Type[] types, int keyOrdinal)
    {
        _ordinals = ordinals;
        _types = types;
        _keyOrdinal = keyOrdinal;
        Columns = columns;
        QuotedColumns = quotedColumns;
    }

    public override IReadOnlyList<string> Columns { get; }

    public override IReadOnlyList<string> QuotedColumns { get; }

    public override bool HasKey => _keyOrdinal >= 0;

    public override Type FieldType(int column) => _types[column];

    public override object? Key(DbDataReader source) => _keyOrdinal < 0 ? null : ValueAt(source, _keyOrdinal);

    public override void Read(DbDataReader source, object?[] values)
    {
        for (var i = 0; i < _ordinals.Length; i++)
        {
            values[i] = ValueAt(source, _ordinals[i]);
        }
    }
}

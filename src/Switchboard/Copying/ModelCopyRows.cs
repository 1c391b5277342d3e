using System.Data.Common;
using Switchboard.Records;

namespace Switchboard.Copying;

/// <summary>
/// A model's rows: each source row is read as the source connection's mapping reads it (the values a loaded record
/// would hold), then each column's value goes to the target mapping's column of the same property.
/// </summary>
internal sealed class ModelCopyRows<T> : CopyRows
    where T : ActiveRecord<T>, new()
{
    private readonly ModelMapping<T> _source;
    private readonly ModelMapping<T>.MappedColumn[] _columns;
    private readonly ModelMapping<T>.MappedColumn? _sourceKey;

    public ModelCopyRows(ModelMapping<T> source, ModelMapping<T> target)
    {
        _source = source;

        // Keys are copied as they are; computed and other generated columns are the target's to fill.
        _columns = [.. target.Columns.Where(c => c.Info.IsKey || !c.Info.IsReadOnly)];
        _sourceKey = source.Key;
        Columns = [.. _columns.Select(c => c.Name)];
        QuotedColumns = [.. _columns.Select(c => c.Quoted)];
    }

    public override IReadOnlyList<string> Columns { get; }

    public override IReadOnlyList<string> QuotedColumns { get; }

    public override bool HasKey => _sourceKey is not null;

    public override Type FieldType(int column)
    {
        var type = _columns[column].Info.Property.PropertyType;
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsEnum ? Enum.GetUnderlyingType(type) : type;
    }

    public override object? Key(DbDataReader source) => _sourceKey is null ? null : ValueAt(source, _sourceKey.Index);

    public override void Read(DbDataReader source, object?[] values)
    {
        var record = _source.Materialize(source);
        for (var i = 0; i < _columns.Length; i++)
        {
            values[i] = _columns[i].Get(record);
        }
    }
}

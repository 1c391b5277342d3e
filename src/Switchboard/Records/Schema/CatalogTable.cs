namespace Switchboard.Records.Schema;

/// <summary>A table as the engine's catalog describes it: its real name and its columns in order.</summary>
internal sealed class CatalogTable(string name, IReadOnlyList<CatalogColumn> columns)
{
    public string Name { get; } = name;

    public IReadOnlyList<CatalogColumn> Columns { get; } = columns;

    /// <summary>The column names, for messages.</summary>
    public string ColumnList => string.Join(", ", Columns.Select(c => c.Name));
}

/// <summary>A column as the engine's catalog describes it.</summary>
internal sealed record CatalogColumn(string Name, string DataType, bool IsNullable);

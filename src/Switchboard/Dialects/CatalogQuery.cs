namespace Switchboard.Dialects;

/// <summary>
/// A query on an engine's catalog that lists the columns of the tables a model may map to (<c>naming: auto</c>). Each
/// row is: table name, column name, declared type (text), whether the column is nullable (a bool, a number, or
/// <c>YES</c>/<c>NO</c>/<c>Y</c>/<c>N</c>), ordered by table and then by column position.
/// </summary>
/// <remarks>
/// A provider returns it from <see cref="DatabaseDriver.ColumnCatalog"/>. It lists every table of the schema whose name
/// is the declared one, or equals it once both are lower-cased and stripped of underscores (<see cref="NameKey"/>);
/// Switchboard picks the table among them. It runs like any statement of the connection: inside the flow's open
/// transaction when there is one, so that it sees tables created in it.
/// </remarks>
public sealed class CatalogQuery
{
    /// <summary>Creates a catalog query.</summary>
    /// <param name="sql">The statement, with the engine's parameter placeholders.</param>
    /// <param name="parameters">The values of its parameters, by name (without the placeholder's marker).</param>
    public CatalogQuery(string sql, IReadOnlyDictionary<string, object?> parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ArgumentNullException.ThrowIfNull(parameters);
        Sql = sql;
        Parameters = parameters;
    }

    /// <summary>The statement.</summary>
    public string Sql { get; }

    /// <summary>The values of its parameters, by name.</summary>
    public IReadOnlyDictionary<string, object?> Parameters { get; }

    /// <summary>A name lower-cased (invariant culture) with its underscores removed: <c>InvoiceLine</c>, <c>invoice_line</c> and <c>INVOICELINE</c> all give <c>invoiceline</c>.</summary>
    /// <param name="name">A table or column name.</param>
    public static string NameKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
    }
}

namespace Switchboard;

/// <summary>How a connection turns the table and column names models declare into the names its database uses (<c>naming</c>).</summary>
public enum NamingConvention
{
    /// <summary>Names as declared: the class and property names, or <c>[Table]</c> and <c>[Column]</c>. No catalog query.</summary>
    AsDeclared,

    /// <summary>Declared names in snake_case: <c>InvoiceId</c> becomes <c>invoice_id</c>, <c>Invoice</c> becomes <c>invoice</c>. No catalog query.</summary>
    SnakeCase,

    /// <summary>
    /// Names found in the live schema (the default): on a model's first use on a connection, its table's columns are read
    /// from the engine's catalog once, and each property maps to its column exactly, else ignoring case and underscores
    /// (<c>InvoiceLineId</c> finds <c>invoice_line_id</c> or <c>INVOICELINEID</c>). <c>[Table]</c> and <c>[Column]</c> names
    /// are used as written. On a driver without a catalog, names are used as declared.
    /// </summary>
    Auto,
}

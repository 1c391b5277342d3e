namespace Switchboard;

/// <summary>How a connection turns the table and column names models declare into the names its database uses (<c>naming</c>).</summary>
public enum NamingConvention
{
    /// <summary>Names as declared: the class and property names, or <c>[Table]</c> and <c>[Column]</c> (the default).</summary>
    AsDeclared,

    /// <summary>Declared names in snake_case: <c>InvoiceId</c> becomes <c>invoice_id</c>, <c>Invoice</c> becomes <c>invoice</c>.</summary>
    SnakeCase,
}

namespace Switchboard;

/// <summary>
/// A model does not fit the table it maps to on a connection: the table is missing, a property has no column, a property
/// matches two columns, or a column's declared type cannot hold the property's values. The message names the model,
/// the property, the table and the connection, and says what to change.
/// </summary>
public sealed class MappingException : SwitchboardException
{
    /// <summary>Creates an exception about one model on one connection.</summary>
    /// <param name="message">What does not fit and how to fix it.</param>
    /// <param name="model">The model type.</param>
    /// <param name="property">The property at fault, or null when the whole table is.</param>
    /// <param name="table">The table's name as declared or found.</param>
    /// <param name="connectionName">The connection's name.</param>
    public MappingException(string message, Type model, string? property, string table, string connectionName)
        : base(message, connectionName, isTransient: false, innerException: null)
    {
        Model = model;
        Property = property;
        Table = table;
    }

    /// <summary>The model type.</summary>
    public Type Model { get; }

    /// <summary>The property at fault, or null when the whole table is (a missing table).</summary>
    public string? Property { get; }

    /// <summary>The table's name as declared or found.</summary>
    public string Table { get; }
}

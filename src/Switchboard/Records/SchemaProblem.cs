namespace Switchboard;

/// <summary>One way a model does not fit its table on a connection, as found by <see cref="ConnectionRegistry.VerifyModels(string, Type[])"/>.</summary>
public sealed class SchemaProblem
{
    /// <summary>Creates a problem.</summary>
    /// <param name="model">The model type.</param>
    /// <param name="connection">The connection's name.</param>
    /// <param name="property">The property at fault, or null when the whole model is.</param>
    /// <param name="message">What does not fit and how to fix it.</param>
    /// <param name="isError">Whether statements of the model would fail (true) or only show a visible mismatch (false).</param>
    public SchemaProblem(Type model, string connection, string? property, string message, bool isError)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(message);
        Model = model;
        Connection = connection;
        Property = property;
        Message = message;
        IsError = isError;
    }

    /// <summary>The model type.</summary>
    public Type Model { get; }

    /// <summary>The connection's name.</summary>
    public string Connection { get; }

    /// <summary>The property at fault, or null when the whole model is (a missing table).</summary>
    public string? Property { get; }

    /// <summary>What does not fit and how to fix it.</summary>
    public string Message { get; }

    /// <summary>
    /// True when a statement of the model would fail (a missing table or column, two matching columns, a column type
    /// that loses the property's values); false for a warning: a mismatch that works today but shows (a string property
    /// on an integer column, a non-nullable property on a nullable column).
    /// </summary>
    public bool IsError { get; }

    /// <summary>The problem on one line: <c>error: Invoice.Total on 'sales': ...</c>.</summary>
    public override string ToString() =>
        $"{(IsError ? "error" : "warning")}: {Model.Name}{(Property is null ? "" : "." + Property)} on '{Connection}': {Message}";
}

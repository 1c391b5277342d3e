namespace Switchboard;

/// <summary>Binds a model to a named connection (like a <c>__connection__</c> attribute in Python ORMs). Subclasses inherit it.</summary>
/// <param name="name">The connection's name, as given to <c>ConnectionManager.Configure</c>.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class ConnectionAttribute(string name) : Attribute
{
    /// <summary>The connection's name.</summary>
    public string Name { get; } = name;
}

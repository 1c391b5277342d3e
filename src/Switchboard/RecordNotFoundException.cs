namespace Switchboard;

/// <summary>A record looked up by key (<c>Find</c>, <c>Reload</c>, an update) does not exist.</summary>
public sealed class RecordNotFoundException : SwitchboardException
{
    /// <summary>Creates the exception for a model, key and connection.</summary>
    public RecordNotFoundException(Type modelType, object? key, string connectionName)
        : base($"No {modelType.Name} with key {key} on connection '{connectionName}'. Use FindOrDefault to get null instead of an exception.", connectionName, isTransient: false, innerException: null)
    {
        ModelType = modelType;
        Key = key;
    }

    /// <summary>The model type that was looked up.</summary>
    public Type ModelType { get; }

    /// <summary>The key that was not found.</summary>
    public object? Key { get; }
}

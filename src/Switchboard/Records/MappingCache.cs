using System.Collections.Concurrent;

namespace Switchboard.Records;

/// <summary>The model mappings of one connection.</summary>
internal sealed class MappingCache(Connection connection)
{
    private readonly ConcurrentDictionary<Type, object> _mappings = new();

    public ModelMapping<T> For<T>()
        where T : ActiveRecord<T>, new() =>
        (ModelMapping<T>)_mappings.GetOrAdd(typeof(T), static (_, dialect) => new ModelMapping<T>(ModelInfo<T>.Info, dialect), connection.Dialect);
}

/// <summary>The declarations of one model type, read once.</summary>
internal static class ModelInfo<T>
    where T : ActiveRecord<T>, new()
{
    private static ModelInfo? s_info;

    /// <summary>Read on first use; a model that cannot be mapped throws <see cref="ConfigurationException"/> each time it is used.</summary>
    public static ModelInfo Info => s_info ??= new ModelInfo(typeof(T));
}

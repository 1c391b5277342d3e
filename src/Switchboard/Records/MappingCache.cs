using System.Collections.Concurrent;

namespace Switchboard.Records;

/// <summary>The model mappings of one connection.</summary>
internal sealed class MappingCache(Connection connection)
{
    private readonly ConcurrentDictionary<Type, object> _mappings = new();

    public ModelMapping<T> For<T>()
        where T : ActiveRecord<T>, new()
    {
        // Most operations on a model go to the connection its last one went to: skip the dictionary then.
        if (LastMapping<T>.Value is { } last && ReferenceEquals(last.Connection, connection))
        {
            return last.Mapping;
        }

        var mapping = (ModelMapping<T>)_mappings.GetOrAdd(typeof(T), static (_, owner) => new ModelMapping<T>(ModelInfo<T>.Info, owner.Dialect, owner.Naming), connection);
        LastMapping<T>.Value = new(connection, mapping);
        return mapping;
    }

    /// <summary>The last (connection, mapping) pair used for a model, replaced as one object so that readers never see a torn pair.</summary>
    private static class LastMapping<T>
        where T : ActiveRecord<T>, new()
    {
        public static Pair? Value;

        public sealed record Pair(Connection Connection, ModelMapping<T> Mapping);
    }
}

/// <summary>The declarations of one model type, read once.</summary>
internal static class ModelInfo<T>
    where T : ActiveRecord<T>, new()
{
    private static ModelInfo? s_info;

    /// <summary>Read on first use; a model that cannot be mapped throws <see cref="ConfigurationException"/> each time it is used.</summary>
    public static ModelInfo Info => s_info ??= new ModelInfo(typeof(T));
}

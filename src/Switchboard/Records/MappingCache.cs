using System.Collections.Concurrent;
using Switchboard.Records.Schema;

namespace Switchboard.Records;

/// <summary>
/// The model mappings of one connection. Under <c>naming: auto</c> a model's first use on the connection reads its
/// table from the catalog (once; a failure, such as a missing table, is not kept, so the next use reads again). A
/// connection configured again or disposed is a new object with a new cache, so its mappings go with it.
/// </summary>
internal sealed class MappingCache(Connection connection)
{
    private readonly ConcurrentDictionary<Type, object> _mappings = new();

    /// <summary>The model's mapping on this connection; the first call may read the catalog (synchronously).</summary>
    /// <exception cref="MappingException">The model does not fit its table (missing table or column, two matching columns, a lossy column type).</exception>
    public ModelMapping<T> For<T>()
        where T : ActiveRecord<T>, new()
    {
        // Most operations on a model go to the connection its last one went to: skip the dictionary then.
        if (LastMapping<T>.Value is { } last && ReferenceEquals(last.Connection, connection))
        {
            return last.Mapping;
        }

        if (_mappings.TryGetValue(typeof(T), out var known))
        {
            return Remember((ModelMapping<T>)known);
        }

        return Remember(Add(CreateAsync<T>(async: false, CancellationToken.None).GetAwaiter().GetResult()));
    }

    /// <summary>The model's mapping on this connection; the first call may read the catalog.</summary>
    /// <exception cref="MappingException">The model does not fit its table.</exception>
    public ValueTask<ModelMapping<T>> ForAsync<T>(CancellationToken cancellationToken)
        where T : ActiveRecord<T>, new()
    {
        if (LastMapping<T>.Value is { } last && ReferenceEquals(last.Connection, connection))
        {
            return new(last.Mapping);
        }

        if (_mappings.TryGetValue(typeof(T), out var known))
        {
            return new(Remember((ModelMapping<T>)known));
        }

        return Created(this, cancellationToken);

        static async ValueTask<ModelMapping<T>> Created(MappingCache cache, CancellationToken cancellationToken) =>
            cache.Remember(cache.Add(await cache.CreateAsync<T>(async: true, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary><see cref="ForAsync{T}"/> for an async caller, <see cref="For{T}"/> for a sync one (one implementation for both paths).</summary>
    public ValueTask<ModelMapping<T>> GetAsync<T>(bool async, CancellationToken cancellationToken)
        where T : ActiveRecord<T>, new() =>
        async ? ForAsync<T>(cancellationToken) : new(For<T>());

    /// <summary>Whether the model's mapping is known here, so that getting it sends nothing.</summary>
    public bool Contains(Type model) => _mappings.ContainsKey(model);

    private ModelMapping<T> Add<T>(ModelMapping<T> mapping)
        where T : ActiveRecord<T>, new() =>
        (ModelMapping<T>)_mappings.GetOrAdd(typeof(T), mapping);

    private ModelMapping<T> Remember<T>(ModelMapping<T> mapping)
        where T : ActiveRecord<T>, new()
    {
        LastMapping<T>.Value = new(connection, mapping);
        return mapping;
    }

    private async ValueTask<ModelMapping<T>> CreateAsync<T>(bool async, CancellationToken cancellationToken)
        where T : ActiveRecord<T>, new()
    {
        var info = ModelInfo<T>.Info;
        var dialect = connection.Dialect;
        ColumnTypeCheck.Verify(info, dialect);
        var naming = connection.Naming;
        var tables = naming == NamingConvention.Auto
            ? await SchemaCatalog.ReadAsync(connection, info, async, cancellationToken).ConfigureAwait(false)
            : null;
        var names = SchemaMatcher.Match(info, naming, tables, dialect);
        if (names.FirstError(typeof(T), connection.Name) is { } error)
        {
            throw error;
        }

        return new ModelMapping<T>(info, dialect, names);
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

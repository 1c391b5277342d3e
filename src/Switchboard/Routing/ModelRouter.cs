using Switchboard.Records;

namespace Switchboard.Routing;

/// <summary>
/// Decides which connection a model operation uses: per-query <c>Using</c> &gt; the innermost <c>UsingConnection</c> scope &gt;
/// <see cref="ConnectionAttribute"/> &gt; the registry's default. One ambient read and one dictionary lookup.
/// </summary>
internal static class ModelRouter
{
    public static Connection Resolve<T>(string? explicitName)
        where T : ActiveRecord<T>, new()
    {
        var ambient = AmbientContext.Current;
        var registry = ambient?.Registry ?? ConnectionRegistry.Default;
        var name = explicitName
            ?? ambient?.FindScope(typeof(T))
            ?? ModelInfo<T>.Info.ConnectionName
            ?? registry.DefaultConnectionName
            ?? throw new ConfigurationException(
                $"Model {typeof(T).Name} has no connection: no connection is configured. Call ConnectionManager.Configure first, or mark the model [Connection(\"name\")].",
                key: null);
        return registry.GetConnection(name);
    }
}

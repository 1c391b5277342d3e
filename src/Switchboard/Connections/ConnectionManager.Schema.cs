namespace Switchboard;

public static partial class ConnectionManager
{
    /// <inheritdoc cref="ConnectionRegistry.VerifyModels(string, Type[])"/>
    public static SchemaReport VerifyModels(string connectionName, params Type[] modelTypes) => Registry.VerifyModels(connectionName, modelTypes);

    /// <inheritdoc cref="ConnectionRegistry.VerifyModelsAsync(string, IEnumerable{Type}, CancellationToken)"/>
    public static Task<SchemaReport> VerifyModelsAsync(string connectionName, IEnumerable<Type> modelTypes, CancellationToken cancellationToken = default) =>
        Registry.VerifyModelsAsync(connectionName, modelTypes, cancellationToken);
}

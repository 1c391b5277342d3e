using Switchboard.Records;
using Switchboard.Records.Schema;

namespace Switchboard;

public sealed partial class ConnectionRegistry
{
    /// <summary>
    /// Checks models against the live schema of a connection, as a startup check or a schema-drift check: reads each
    /// model's table from the catalog (whatever the connection's <c>naming</c>) and reports what does not fit.
    /// </summary>
    /// <param name="connectionName">The connection whose schema to read.</param>
    /// <param name="modelTypes">The model types (classes deriving from <see cref="ActiveRecord{T}"/>).</param>
    /// <returns>
    /// Errors for what would make a statement fail (a missing table or column, two columns matching one property, a
    /// column type that loses the property's values); warnings for visible mismatches (a string property on an integer
    /// column, a non-nullable property on a nullable column, a name that differs from the table's only in case).
    /// </returns>
    /// <exception cref="ArgumentException">A type is not a model.</exception>
    /// <exception cref="ConfigurationException">The connection name is not configured.</exception>
    public SchemaReport VerifyModels(string connectionName, params Type[] modelTypes) =>
        VerifyModelsAsync(connectionName, modelTypes, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="VerifyModels(string, Type[])"/>
    /// <param name="connectionName">The connection whose schema to read.</param>
    /// <param name="modelTypes">The model types (classes deriving from <see cref="ActiveRecord{T}"/>).</param>
    /// <param name="cancellationToken">Cancels the catalog reads.</param>
    public Task<SchemaReport> VerifyModelsAsync(string connectionName, IEnumerable<Type> modelTypes, CancellationToken cancellationToken = default) =>
        VerifyModelsAsync(connectionName, modelTypes, async: true, cancellationToken).AsTask();

    private async ValueTask<SchemaReport> VerifyModelsAsync(string connectionName, IEnumerable<Type> modelTypes, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modelTypes);
        var types = modelTypes.ToList();
        foreach (var type in types)
        {
            if (type is null || !IsModel(type))
            {
                throw new ArgumentException(
                    $"{type?.FullName ?? "null"} is not a model: VerifyModels takes classes that derive from ActiveRecord<T> with T the class itself. Pass only model types.",
                    nameof(modelTypes));
            }
        }

        var connection = GetConnection(connectionName);
        var problems = new List<SchemaProblem>();
        foreach (var type in types)
        {
            ModelInfo info;
            try
            {
                info = new ModelInfo(type);
                ColumnTypeCheck.Verify(info, connection.Dialect);
            }
            catch (ConfigurationException refused)
            {
                problems.Add(new SchemaProblem(type, connection.Name, null, refused.Message, isError: true));
                continue;
            }

            var tables = await SchemaCatalog.ReadAsync(connection, info, async, cancellationToken).ConfigureAwait(false);
            if (tables is null)
            {
                problems.Add(new SchemaProblem(type, connection.Name, null, $"The {connection.Driver} driver has no catalog Switchboard can read, so the model could not be checked.", isError: false));
                continue;
            }

            var names = SchemaMatcher.Match(info, connection.Naming, tables, connection.Dialect);
            problems.AddRange(names.Problems.Select(p => new SchemaProblem(type, connection.Name, p.Property, p.Message, p.IsError)));
        }

        return new SchemaReport(problems);
    }

    private static bool IsModel(Type type) =>
        type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && ActiveRecordOf(type) == type;

    /// <summary>The T of the <c>ActiveRecord&lt;T&gt;</c> a type derives from, or null.</summary>
    private static Type? ActiveRecordOf(Type type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(ActiveRecord<>))
            {
                return current.GetGenericArguments()[0];
            }
        }

        return null;
    }
}

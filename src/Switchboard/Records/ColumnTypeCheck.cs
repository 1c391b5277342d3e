using Switchboard.Dialects;

namespace Switchboard.Records;

/// <summary>
/// Refuses a model whose property types the connection's engine cannot store, when the model is first used there:
/// better one clear error at once than wrong values (a ulong wrapped to a negative number) at some later save.
/// </summary>
internal static class ColumnTypeCheck
{
    /// <exception cref="ConfigurationException">A property's type cannot be stored; the message names the property, its type and the engine's reason.</exception>
    public static void Verify(ModelInfo info, SqlDialect dialect)
    {
        foreach (var column in info.Columns)
        {
            var property = column.Property;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type.IsEnum)
            {
                type = Enum.GetUnderlyingType(type);
            }

            if (dialect.CannotStoreType(type) is { } reason)
            {
                throw new ConfigurationException(
                    $"Model {info.Type.Name}: property {info.Type.Name}.{property.Name} is a {type.Name}, which cannot be stored on this connection: {reason}",
                    key: null);
            }
        }
    }
}

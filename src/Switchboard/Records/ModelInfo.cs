using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Switchboard.Records;

/// <summary>What a model type declares, read once: table, key, columns and connection. Connection-specific names live in <see cref="ModelMapping{T}"/>.</summary>
internal sealed class ModelInfo
{
    private static readonly HashSet<Type> ScalarTypes =
    [
        typeof(bool), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong),
        typeof(float), typeof(double), typeof(decimal), typeof(char), typeof(string), typeof(byte[]), typeof(Guid),
        typeof(DateTime), typeof(DateTimeOffset), typeof(DateOnly), typeof(TimeOnly), typeof(TimeSpan),
    ];

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Model properties are used by the application, so they are kept.")]
    public ModelInfo(Type type)
    {
        Type = type;
        ConnectionName = type.GetCustomAttribute<ConnectionAttribute>(inherit: true)?.Name;
        var table = type.GetCustomAttribute<TableAttribute>(inherit: true);
        TableName = table?.Name ?? type.Name;
        TableNameIsExplicit = table is not null;
        Schema = table?.Schema;

        var properties = new List<PropertyInfo>();
        for (var current = type; current is not null && !IsActiveRecordBase(current); current = current.BaseType)
        {
            properties.InsertRange(0, current.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));
        }

        var columns = new List<ColumnInfo>();
        foreach (var property in properties)
        {
            if (property.GetIndexParameters().Length > 0 || property.IsDefined(typeof(NotMappedAttribute), inherit: true))
            {
                continue;
            }

            if (!property.CanRead || !property.CanWrite || property.SetMethod?.IsPublic != true)
            {
                continue;
            }

            var underlying = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (!underlying.IsEnum && !ScalarTypes.Contains(underlying))
            {
                throw new ConfigurationException(
                    $"Model {type.Name}: property {property.Name} has type {property.PropertyType.Name}, which cannot be stored in a column. "
                    + "Mark it [NotMapped], or use a scalar type (numbers, string, bool, byte[], Guid, dates and times, enums).",
                    key: null);
            }

            var explicitName = property.GetCustomAttribute<ColumnAttribute>(inherit: true)?.Name;
            columns.Add(new ColumnInfo(property, explicitName ?? property.Name, isExplicit: explicitName is not null));
        }

        var key = columns.FirstOrDefault(c => c.Property.IsDefined(typeof(KeyAttribute), inherit: true))
            ?? columns.FirstOrDefault(c => string.Equals(c.Property.Name, "Id", StringComparison.OrdinalIgnoreCase))
            ?? columns.FirstOrDefault(c => string.Equals(c.Property.Name, type.Name + "Id", StringComparison.OrdinalIgnoreCase));
        if (columns.Count == 0)
        {
            throw new ConfigurationException($"Model {type.Name} has no public read-write properties to map to columns. Add properties with public getters and setters.", key: null);
        }

        if (key is not null)
        {
            key.IsKey = true;
            var generated = key.Property.GetCustomAttribute<DatabaseGeneratedAttribute>(inherit: true)?.DatabaseGeneratedOption;
            var integral = Nullable.GetUnderlyingType(key.Property.PropertyType) ?? key.Property.PropertyType;
            key.IsGenerated = generated is DatabaseGeneratedOption.Identity
                || (generated is null && (integral == typeof(int) || integral == typeof(long) || integral == typeof(short)));
        }

        foreach (var column in columns)
        {
            if (!column.IsKey && column.Property.GetCustomAttribute<DatabaseGeneratedAttribute>(inherit: true)?.DatabaseGeneratedOption is DatabaseGeneratedOption.Identity or DatabaseGeneratedOption.Computed)
            {
                column.IsReadOnly = true;
            }
        }

        Columns = columns;
        Key = key;
    }

    public Type Type { get; }

    public string? ConnectionName { get; }

    public string TableName { get; }

    /// <summary>Whether <c>[Table]</c> named the table: a naming convention then leaves the name as written.</summary>
    public bool TableNameIsExplicit { get; }

    public string? Schema { get; }

    public IReadOnlyList<ColumnInfo> Columns { get; }

    public ColumnInfo? Key { get; }

    public ColumnInfo RequireKey(string operation) => Key ?? throw new ConfigurationException(
        $"Model {Type.Name} has no key, so it cannot {operation}. Name a property Id or {Type.Name}Id, or mark one [Key].",
        key: null);

    private static bool IsActiveRecordBase(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ActiveRecord<>);

    internal sealed class ColumnInfo(PropertyInfo property, string name, bool isExplicit)
    {
        public PropertyInfo Property { get; } = property;

        public string Name { get; } = name;

        /// <summary>Whether <c>[Column]</c> named the column: a naming convention then leaves the name as written.</summary>
        public bool IsExplicit { get; } = isExplicit;

        public bool IsKey { get; set; }

        /// <summary>The database generates the value on insert (identity key).</summary>
        public bool IsGenerated { get; set; }

        /// <summary>Computed by the database: read, never written.</summary>
        public bool IsReadOnly { get; set; }
    }
}

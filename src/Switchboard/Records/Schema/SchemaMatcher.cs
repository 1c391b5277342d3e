using System.Reflection;
using Switchboard.Dialects;

namespace Switchboard.Records.Schema;

/// <summary>
/// Finds the real table and column names of a model in what the catalog lists, and what does not fit. Under
/// <c>naming: auto</c> a declared name finds its table or column exactly, else by a single match that ignores case and
/// underscores; a name written in <c>[Table]</c> or <c>[Column]</c>, and every name under the other conventions, is used
/// as written and only checked.
/// </summary>
internal static class SchemaMatcher
{
    /// <summary>Matches a model against <paramref name="tables"/> (null: the driver has no catalog, names as the convention derives them).</summary>
    public static ModelNames Match(ModelInfo info, NamingConvention naming, IReadOnlyList<CatalogTable>? tables, SqlDialect dialect)
    {
        var auto = naming == NamingConvention.Auto;
        var derive = auto ? NamingConvention.AsDeclared : naming;
        var declaredTable = info.TableNameIsExplicit ? info.TableName : Naming.Apply(derive, info.TableName);
        var names = new ModelNames(declaredTable, info.Schema, [.. info.Columns.Select(c => c.IsExplicit ? c.Name : Naming.Apply(derive, c.Name))]);
        if (tables is null)
        {
            return names;
        }

        var where = info.Schema is null ? "the connection's schema" : $"schema '{info.Schema}'";
        CatalogTable? table;
        if (auto && !info.TableNameIsExplicit)
        {
            var found = Find(declaredTable, tables, t => t.Name);
            if (found.Count > 1)
            {
                names.Error(null, $"Table {declaredTable} of model {info.Type.Name} matches {found.Count} tables in {where}: {string.Join(" and ", found.Select(t => t.Name))}. Name the one to use with [Table(\"...\")].");
                return names;
            }

            table = found.Count == 1 ? found[0] : null;
        }
        else
        {
            table = AsWritten(declaredTable, tables, t => t.Name, out var caseOnly);
            if (table is not null && caseOnly)
            {
                names.Warning(null, $"The model names table '{declaredTable}', which the catalog spells '{table.Name}': statements work only where the engine ignores the case of quoted names. Write it as the table is spelt.");
            }
        }

        if (table is null)
        {
            var fix = info.TableNameIsExplicit ? "Create the table, or correct the name in [Table]." : $"Create the table, or name it with [Table(\"...\")] as the database spells it.";
            names.Error(null, $"Table {declaredTable} of model {info.Type.Name} does not exist in {where}. {fix}");
            return names;
        }

        names.Table = auto && !info.TableNameIsExplicit ? table.Name : declaredTable;
        for (var i = 0; i < info.Columns.Count; i++)
        {
            MatchColumn(info, info.Columns[i], i, auto, table, names, dialect);
        }

        return names;
    }

    private static void MatchColumn(ModelInfo info, ModelInfo.ColumnInfo column, int index, bool auto, CatalogTable table, ModelNames names, SqlDialect dialect)
    {
        var property = column.Property.Name;
        var declared = names.Columns[index];
        CatalogColumn? found;
        if (auto && !column.IsExplicit)
        {
            var matches = Find(declared, table.Columns, c => c.Name);
            if (matches.Count > 1)
            {
                names.Error(property, $"Property {info.Type.Name}.{property} matches {matches.Count} columns of table {table.Name}: {string.Join(" and ", matches.Select(c => c.Name))}. Name the one to use with [Column(\"...\")], or mark the property [NotMapped].");
                return;
            }

            found = matches.Count == 1 ? matches[0] : null;
            if (found is not null)
            {
                names.Columns[index] = found.Name;
            }
        }
        else
        {
            found = AsWritten(declared, table.Columns, c => c.Name, out var caseOnly);
            if (found is not null && caseOnly)
            {
                names.Warning(property, $"Property {info.Type.Name}.{property} names column '{declared}', which table {table.Name} spells '{found.Name}': statements work only where the engine ignores the case of quoted names. Write it as the table spells it.");
            }
        }

        if (found is null)
        {
            var fix = column.IsExplicit
                ? "Correct the name in [Column], add the column, or mark the property [NotMapped]."
                : "Name the column with [Column(\"...\")], add the column, or mark the property [NotMapped].";
            names.Error(property, $"Property {info.Type.Name}.{property} has no column '{declared}' in table {table.Name}, whose columns are: {table.ColumnList}. {fix}");
            return;
        }

        names.Found[index] = found;
        CheckType(info, column, found, table, names, dialect);
    }

    private static void CheckType(ModelInfo info, ModelInfo.ColumnInfo column, CatalogColumn found, CatalogTable table, ModelNames names, SqlDialect dialect)
    {
        var property = column.Property;
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var stored = type.IsEnum ? Enum.GetUnderlyingType(type) : type;
        var name = $"{info.Type.Name}.{property.Name}";
        if (dialect.CannotStoreInColumn(stored, found.DataType) is { } reason)
        {
            names.Error(property.Name, $"Property {name} is a {stored.Name}, and column {table.Name}.{found.Name} is declared {found.DataType}: {reason}");
            return;
        }

        if (stored == typeof(string) && IsInteger(found.DataType))
        {
            names.Warning(property.Name, $"Property {name} is a String, but column {table.Name}.{found.Name} is declared {found.DataType}. Make the property a number, or the column text.");
        }

        if (found.IsNullable && !column.IsKey && !IsNullable(property))
        {
            names.Warning(property.Name, $"Property {name} cannot hold null, but column {table.Name}.{found.Name} is nullable: reading a NULL fails or reads as a default. Make the property nullable ({property.PropertyType.Name}?), or declare the column NOT NULL.");
        }
    }

    /// <summary>The candidates named exactly so; else every one whose name matches ignoring case, or ignoring case and underscores.</summary>
    private static List<TItem> Find<TItem>(string declared, IEnumerable<TItem> candidates, Func<TItem, string> name)
    {
        var exact = candidates.Where(c => name(c) == declared).Take(1).ToList();
        if (exact.Count == 1)
        {
            return exact;
        }

        var key = CatalogQuery.NameKey(declared);
        return [.. candidates.Where(c => string.Equals(name(c), declared, StringComparison.OrdinalIgnoreCase) || CatalogQuery.NameKey(name(c)) == key)];
    }

    /// <summary>The candidate named exactly so, else one differing only in case (<paramref name="caseOnly"/>), else null.</summary>
    private static TItem? AsWritten<TItem>(string declared, IEnumerable<TItem> candidates, Func<TItem, string> name, out bool caseOnly)
        where TItem : class
    {
        caseOnly = false;
        if (candidates.FirstOrDefault(c => name(c) == declared) is { } exact)
        {
            return exact;
        }

        var folded = candidates.FirstOrDefault(c => string.Equals(name(c), declared, StringComparison.OrdinalIgnoreCase));
        caseOnly = folded is not null;
        return folded;
    }

    private static bool IsInteger(string dataType)
    {
        var type = dataType.Trim().ToLowerInvariant();
        return type.Contains("int", StringComparison.Ordinal) && !type.Contains("interval", StringComparison.Ordinal) && !type.Contains("point", StringComparison.Ordinal);
    }

    private static readonly NullabilityInfoContext Nullability = new();

    private static bool IsNullable(PropertyInfo property)
    {
        if (property.PropertyType.IsValueType)
        {
            return Nullable.GetUnderlyingType(property.PropertyType) is not null;
        }

        lock (Nullability)
        {
            return Nullability.Create(property).ReadState != NullabilityState.NotNull;
        }
    }
}

/// <summary>The names a model uses on one connection, and what does not fit.</summary>
internal sealed class ModelNames(string table, string? schema, string[] columns)
{
    /// <summary>The table's real (unquoted) name.</summary>
    public string Table { get; set; } = table;

    public string? Schema { get; } = schema;

    /// <summary>The real (unquoted) column name of each of the model's columns, in the model's order.</summary>
    public string[] Columns { get; } = columns;

    /// <summary>The catalog's column for each of the model's columns, where it was found.</summary>
    public CatalogColumn?[] Found { get; } = new CatalogColumn?[columns.Length];

    public List<(string? Property, string Message, bool IsError)> Problems { get; } = [];

    public void Error(string? property, string message) => Problems.Add((property, message, true));

    public void Warning(string? property, string message) => Problems.Add((property, message, false));

    /// <summary>The first error as the exception that refuses the model, or null when there is none.</summary>
    public MappingException? FirstError(Type model, string connectionName) =>
        Problems.FirstOrDefault(p => p.IsError) is { Message: not null } error
            ? new MappingException($"{error.Message} (connection '{connectionName}')", model, error.Property, Table, connectionName)
            : null;
}

using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using Switchboard.Dialects;

namespace Switchboard;

/// <summary>Turns the caller's parameters (an anonymous object or a dictionary) into driver parameters. Values are always parameters.</summary>
internal static class ParameterBinder
{
    private static readonly ConcurrentDictionary<Type, (string Name, Func<object, object?> Get)[]> Readers = new();

    public static void Bind(DbCommand command, SqlDialect dialect, object? parameters)
    {
        if (parameters is null)
        {
            return;
        }

        foreach (var (name, value) in Enumerate(parameters))
        {
            Add(command, dialect, name, value);
        }
    }

    /// <summary>The caller's parameters as name/value pairs: a dictionary's entries, or an object's public properties.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Enumerate(object parameters) => parameters switch
    {
        IEnumerable<KeyValuePair<string, object?>> pairs => pairs,
        _ => ReadersFor(parameters.GetType()).Select(r => new KeyValuePair<string, object?>(r.Name, r.Get(parameters))),
    };

    public static void Add(DbCommand command, SqlDialect dialect, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = dialect.ParameterName(name.TrimStart('@', ':', '$'));
        parameter.Value = ToDbValue(dialect, value);
        dialect.PrepareParameter(parameter);
        command.Parameters.Add(parameter);
    }

    public static object ToDbValue(SqlDialect dialect, object? value)
    {
        if (value is null)
        {
            return DBNull.Value;
        }

        if (value is Enum)
        {
            value = Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), System.Globalization.CultureInfo.InvariantCulture);
        }

        return dialect.ToParameterValue(value);
    }

    /// <summary>Parameter names and, when the user opted in, values, for echo.</summary>
    public static string Describe(DbCommand command, bool withValues)
    {
        var text = new StringBuilder();
        foreach (DbParameter parameter in command.Parameters)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(parameter.ParameterName);
            if (withValues)
            {
                text.Append('=').Append(parameter.Value switch
                {
                    DBNull => "NULL",
                    string s => "'" + (s.Length > 100 ? s[..100] + "..." : s) + "'",
                    byte[] b => $"<{b.Length} bytes>",
                    var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
                });
            }
        }

        return text.ToString();
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Parameter objects are anonymous types or user types whose public properties are kept by their use.")]
    private static (string Name, Func<object, object?> Get)[] ReadersFor(Type type) =>
        Readers.GetOrAdd(type, static t =>
        {
            var instance = Expression.Parameter(typeof(object), "instance");
            return t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
                .Select(p => (p.Name, Expression.Lambda<Func<object, object?>>(
                    Expression.Convert(Expression.Property(Expression.Convert(instance, t), p), typeof(object)), instance).Compile()))
                .ToArray();
        });
}

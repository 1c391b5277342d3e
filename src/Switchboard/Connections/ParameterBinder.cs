using System.Collections;
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
    private static readonly char[] Markers = ['@', ':', '$'];

    /// <summary>
    /// Sets a command's parameters. A command reused from the cache already has parameters of the same names in the same
    /// order most of the time; those only get new values, and nothing is allocated for them.
    /// </summary>
    public static void Bind(DbCommand command, SqlDialect dialect, in CommandParameters parameters)
    {
        if (parameters.Plan is { } plan)
        {
            plan.Bind(command, dialect, parameters.Source!);
            return;
        }

        var index = 0;
        switch (parameters.Source)
        {
            case null when parameters.SingleName is null:
                break;
            case var value when parameters.SingleName is { } single:
                SetExact(command, dialect, index++, single, value);
                break;
            case KeyValuePair<string, object?>[] array:
                foreach (var (name, value) in array)
                {
                    Set(command, dialect, index++, name, value);
                }

                break;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                foreach (var (name, value) in pairs)
                {
                    Set(command, dialect, index++, name, value);
                }

                break;
            case IDictionary dictionary:
                foreach (var (name, value) in Entries(dictionary))
                {
                    Set(command, dialect, index++, name, value);
                }

                break;
            case var source:
                foreach (var (name, get) in ReadersFor(source!.GetType()))
                {
                    Set(command, dialect, index++, name, get(source));
                }

                break;
        }

        TrimTo(command, dialect, index);
    }

    /// <summary>Removes parameters left from an earlier use of the command beyond the first <paramref name="count"/>.</summary>
    /// <remarks>For a record's statement: one SQL text always binds the same columns, so nothing is ever cut here.</remarks>
    public static void TrimTo(DbCommand command, int count)
    {
        var parameters = command.Parameters;
        while (parameters.Count > count)
        {
            parameters.RemoveAt(parameters.Count - 1);
        }
    }

    /// <summary>Removes parameters left from an earlier use of the command beyond the first <paramref name="count"/>, and tells the dialect.</summary>
    public static void TrimTo(DbCommand command, SqlDialect dialect, int count)
    {
        var parameters = command.Parameters;
        if (parameters.Count <= count)
        {
            return;
        }

        while (parameters.Count > count)
        {
            parameters.RemoveAt(parameters.Count - 1);
        }

        // Fewer parameters than the statement was prepared with: the driver must look at the statement again.
        dialect.OnParameterTypesChanged(command);
    }

    /// <summary>The caller's parameters as name/value pairs: a dictionary's entries, or an object's public properties.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Enumerate(object parameters) => parameters switch
    {
        IEnumerable<KeyValuePair<string, object?>> pairs => pairs,
        IDictionary dictionary => Entries(dictionary),
        _ => ReadersFor(parameters.GetType()).Select(r => new KeyValuePair<string, object?>(r.Name, r.Get(parameters))),
    };

    /// <summary>
    /// A dictionary's entries, whatever its value type: every BCL dictionary (<c>Dictionary&lt;string, string&gt;</c>,
    /// <c>SortedList</c>, <c>ReadOnlyDictionary</c>, <c>Hashtable</c>) is an <see cref="IDictionary"/>, whose properties
    /// (Count, Keys, ...) must never be taken for parameters.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, object?>> Entries(IDictionary dictionary)
    {
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Key is not string name)
            {
                throw new ArgumentException(
                    $"A dictionary of parameters must have string keys (parameter names), but one key is a {entry.Key.GetType().Name}. Use a Dictionary<string, object?> for parameters.");
            }

            yield return new KeyValuePair<string, object?>(name, entry.Value);
        }
    }

    /// <summary>Sets the parameter at <paramref name="index"/>: the existing one when its name matches, a new one otherwise.</summary>
    public static void Set(DbCommand command, SqlDialect dialect, int index, string name, object? value) =>
        SetExact(command, dialect, index, dialect.ParameterName(WithoutMarker(name)), value);

    /// <summary>
    /// <see cref="Set"/> with the driver's parameter name as it is to be set: a generated statement's, computed once
    /// per statement shape (<see cref="SqlDialect.GeneratedParameterName"/>).
    /// </summary>
    public static void SetExact(DbCommand command, SqlDialect dialect, int index, string parameterName, object? value)
    {
        var existing = command.Parameters;
        if (index < existing.Count)
        {
            var parameter = existing[index];
            if (parameter.ParameterName == parameterName)
            {
                var dbValue = ToDbValue(dialect, value, parameterName);
                var previous = parameter.Value;

                // The type is inferred again from the new value, then the dialect may adjust it.
                parameter.ResetDbType();
                parameter.Value = dbValue;
                dialect.PrepareParameter(parameter);
                if (!SameWireType(previous, dbValue))
                {
                    dialect.OnParameterTypesChanged(command);
                }

                return;
            }

            while (existing.Count > index)
            {
                existing.RemoveAt(existing.Count - 1);
            }
        }

        var added = command.CreateParameter();
        added.ParameterName = parameterName;
        added.Value = ToDbValue(dialect, value, parameterName);
        dialect.PrepareParameter(added);
        existing.Add(added);

        // A parameter list that grows (or was cut above) no longer matches a statement prepared for the old one.
        dialect.OnParameterTypesChanged(command);
    }

    /// <summary>
    /// Whether two values are sent with the same driver type: the same CLR type and, for a <see cref="DateTime"/>, the
    /// same Kind (Npgsql sends a UTC one as <c>timestamptz</c>, any other as <c>timestamp</c>). Allocates nothing.
    /// </summary>
    public static bool SameWireType(object? previous, object next) =>
        previous is not null
        && previous.GetType() == next.GetType()
        && (previous is not DateTime before || before.Kind == ((DateTime)next).Kind);

    /// <summary>The name without a leading <c>@</c>, <c>:</c> or <c>$</c>; the same string, unallocated, when it has none.</summary>
    public static string WithoutMarker(string name) => name.Length > 0 && name[0] is '@' or ':' or '$' ? name.TrimStart(Markers) : name;

    /// <summary>The value as the driver gets it: NULL for null, enums as numbers, Local times in UTC, then the dialect's conversion.</summary>
    /// <exception cref="ArgumentException">The engine cannot store the value; the message names the parameter.</exception>
    public static object ToDbValue(SqlDialect dialect, object? value, string? name = null)
    {
        if (value is null)
        {
            return DBNull.Value;
        }

        if (value is DateTime { Kind: DateTimeKind.Local } local)
        {
            // A Local value is an instant: sent as its UTC equivalent, never as a wall clock the server would read as UTC.
            value = local.ToUniversalTime();
        }
        else if (value is Enum)
        {
            value = Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (dialect.CannotStoreValue(value) is { } reason)
        {
            throw new ArgumentException($"Parameter '{name ?? "?"}' holds a {value.GetType().Name} value that cannot be stored: {reason}");
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

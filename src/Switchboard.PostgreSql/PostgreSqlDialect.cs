using System.Data;
using System.Data.Common;
using Switchboard.Dialects;

namespace Switchboard.PostgreSql;

/// <summary>PostgreSQL: double-quoted identifiers, <c>@name</c> parameters, LIMIT/OFFSET, RETURNING and savepoints.</summary>
/// <remarks>
/// A <see cref="DateTimeOffset"/> is sent as UTC, since <c>timestamptz</c> stores an instant and Npgsql refuses other
/// offsets: it reads back equal (the same instant) with offset zero.
/// </remarks>
internal sealed class PostgreSqlDialect : SqlDialect
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The protocol counts a statement's parameters in 16 bits.</summary>
    public override int MaxParameters => 65535;

    /// <summary>A longer list is one array parameter: one statement text whatever the count, and no 16-bit limit.</summary>
    public override int MaxInListParameters => 1000;

    /// <summary><c>SELECT unnest(@p)</c> over an array of the values' type; values of different types stay a parameter each.</summary>
    public override string? ListParameterSql(string placeholder, IReadOnlyList<object> values) =>
        ElementType(values) is null ? null : "SELECT unnest(" + placeholder + ")";

    /// <summary>A typed array (<c>long[]</c> is sent as <c>bigint[]</c>), which Npgsql sends whole.</summary>
    public override object ListParameterValue(IReadOnlyList<object> values)
    {
        var type = ElementType(values)
            ?? throw new NotSupportedException("A list sent as one PostgreSQL array must hold values of one type (and DateTimes of one Kind). Convert the values to one type first.");
        var array = Array.CreateInstance(type, values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            array.SetValue(values[i], i);
        }

        return array;
    }

    public override string QuoteIdentifier(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return Quote(identifier);
    }

    /// <summary>
    /// PostgreSQL has no READ UNCOMMITTED (it runs as READ COMMITTED, which satisfies it) and no SNAPSHOT level by that
    /// name: SNAPSHOT and CHAOS are refused, so that code written for SQL Server does not silently change meaning.
    /// </summary>
    public override bool SupportsIsolationLevel(IsolationLevel level) =>
        level is IsolationLevel.Unspecified or IsolationLevel.ReadUncommitted or IsolationLevel.ReadCommitted or IsolationLevel.RepeatableRead or IsolationLevel.Serializable;

    /// <summary>
    /// An NpgsqlCommand that was auto-prepared binds every later execution with the types it was prepared with, without
    /// comparing them (its CommandText setter carries the TODO "also if the parameter list (or type) changes"): an int
    /// after a string is then read as the string's bytes. Setting the text again drops the command's preparation, so the
    /// next execution looks the statement up by SQL again, where Npgsql compares the parameter types and runs it
    /// unprepared (or prepared, when the types match the prepared statement) instead.
    /// </summary>
    public override void OnParameterTypesChanged(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.CommandText = command.CommandText;
    }

    /// <summary>
    /// PostgreSQL has no unsigned integers and Npgsql refuses them: each goes as the next wider signed type, which holds
    /// every value (a ulong as numeric), and an sbyte as smallint. Columns of those types give them back unchanged.
    /// </summary>
    /// <summary>
    /// A value of the application's own type (neither .NET's nor Npgsql's) has no PostgreSQL type: Npgsql would fail at
    /// execution with a message that does not name the parameter, so it is refused before, by name.
    /// </summary>
    public override string? CannotStoreValue(object value)
    {
        // Numbers, text, dates, Guid and byte[] live in the core library: one reference comparison for them.
        var type = value.GetType();
        return type.Assembly == typeof(object).Assembly || type.IsEnum || IsFrameworkOrNpgsql(type.Assembly.GetName().Name)
            ? null
            : $"Npgsql has no PostgreSQL type for {type.Name}, a type of the application. Send one of its properties, or convert it (to a string, say) first.";
    }

    public override object ToParameterValue(object value) => value switch
    {
        DateTimeOffset offset => offset.ToUniversalTime(),
        ushort number => (int)number,
        uint number => (long)number,
        ulong number => (decimal)number,
        sbyte number => (short)number,
        _ => value,
    };

    /// <summary>
    /// The one type every value has (a DateTime also one Kind, which decides timestamp or timestamptz), or null. Not
    /// <see cref="byte"/> or <see cref="char"/>: Npgsql sends a <c>byte[]</c> as bytea and a <c>char[]</c> as text, not as arrays.
    /// </summary>
    private static Type? ElementType(IReadOnlyList<object> values)
    {
        var type = values.Count == 0 || values[0] is byte or char ? null : values[0].GetType();
        for (var i = 1; i < values.Count && type is not null; i++)
        {
            if (values[i].GetType() != type || (values[i] is DateTime time && time.Kind != ((DateTime)values[0]).Kind))
            {
                type = null;
            }
        }

        return type;
    }

    private static bool IsFrameworkOrNpgsql(string? assembly) =>
        assembly is not null
        && (assembly.StartsWith("System", StringComparison.Ordinal) || assembly.StartsWith("Microsoft.", StringComparison.Ordinal)
            || assembly.StartsWith("Npgsql", StringComparison.Ordinal) || assembly == "mscorlib" || assembly == "netstandard");
}

using System.Data.Common;
using System.Globalization;
using System.Text;
using Switchboard.Dialects;

namespace Switchboard;

// What a failed statement's message says about the driver's error, and what it never says (parameter values).
public sealed partial class Connection
{
    /// <summary>The kind and codes of a failure, for its message: <c> (unique violation, SQLSTATE 23505, constraint uq_email)</c>.</summary>
    private static string Describe(in StatementErrorInfo detail)
    {
        var parts = new List<string>(4);
        if (detail.Kind != StatementErrorKind.Other)
        {
            parts.Add(KindWords(detail.Kind));
        }

        if (detail.SqlState is { } state)
        {
            parts.Add("SQLSTATE " + state);
        }

        if (detail.ErrorNumber is { } number)
        {
            parts.Add("error " + number.ToString(CultureInfo.InvariantCulture));
        }

        if (detail.ConstraintName is { } constraint)
        {
            parts.Add("constraint " + constraint);
        }

        return parts.Count == 0 ? "" : " (" + string.Join(", ", parts) + ")";
    }

    private static string KindWords(StatementErrorKind kind) => kind switch
    {
        StatementErrorKind.UniqueViolation => "unique violation",
        StatementErrorKind.ForeignKeyViolation => "foreign key violation",
        StatementErrorKind.NotNullViolation => "not-null violation",
        StatementErrorKind.CheckViolation => "check violation",
        StatementErrorKind.Deadlock => "deadlock",
        StatementErrorKind.SerializationFailure => "serialization failure",
        StatementErrorKind.Timeout => "timeout",
        StatementErrorKind.Syntax => "syntax",
        _ => "other",
    };

    /// <summary>
    /// The driver's text with the statement's parameter values taken out, unless <c>echo_parameters</c> allows them: some
    /// engines quote the offending value (MySQL's <c>Duplicate entry 'ann@example.com' for key ...</c>).
    /// </summary>
    private string HideValues(string message, DbCommand? command)
    {
        if (command is null || command.Parameters.Count == 0 || _config.EchoParameters)
        {
            return message;
        }

        var text = new StringBuilder(message);
        foreach (DbParameter parameter in command.Parameters)
        {
            if (parameter.Value is null or DBNull || Convert.ToString(parameter.Value, CultureInfo.InvariantCulture) is not { Length: > 0 } value)
            {
                continue;
            }

            text.Replace("'" + value + "'", "'***'").Replace("(" + value + ")", "(***)").Replace("\"" + value + "\"", "\"***\"");
            if (value.Length >= 6)
            {
                // Long enough not to be a word of the message itself (a composite key's value appears joined to others).
                text.Replace(value, "***");
            }
        }

        return text.ToString();
    }
}

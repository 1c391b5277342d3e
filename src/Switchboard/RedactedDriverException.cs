using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Switchboard.Diagnostics;

namespace Switchboard;

/// <summary>
/// Stands in for a driver exception whose text, data or inner exceptions repeated a part of the connection's password:
/// the same facts (the driver's exception type, SQLSTATE, HResult, data (where drivers keep their error numbers) and stack) with the password replaced by
/// <c>***</c>. Switchboard keeps the driver's own exception inside its exceptions whenever it holds no part of it.
/// </summary>
public sealed class RedactedDriverException : DbException
{
    private readonly string? _sqlState;
    private readonly bool _isTransient;
    private readonly string? _stackTrace;

    internal RedactedDriverException(Exception original, SecretScrubber scrubber)
        : base(scrubber.Scrub(original.Message), original.InnerException is { } inner ? scrubber.Scrub(inner) : null)
    {
        DriverExceptionType = original.GetType().FullName ?? original.GetType().Name;
        HResult = original.HResult;
        if (original is DbException db)
        {
            _sqlState = db.SqlState;
            _isTransient = db.IsTransient;
        }

        _stackTrace = original.StackTrace is { } stack ? scrubber.Scrub(stack) : null;
        foreach (DictionaryEntry entry in original.Data)
        {
            var key = scrubber.Scrub(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
            Data[key] = entry.Value switch
            {
                null => null,
                string text => scrubber.Scrub(text),
                var value when value.GetType().IsPrimitive || value is decimal or Enum => value,
                var value => scrubber.Scrub(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
            };
        }
    }

    /// <summary>The full name of the driver's exception type that this stands in for (<c>Npgsql.PostgresException</c>, ...).</summary>
    public string DriverExceptionType { get; }

    /// <summary>The SQLSTATE the driver reported, when it reported one.</summary>
    public override string? SqlState => _sqlState;

    /// <summary>What the driver said about retrying.</summary>
    public override bool IsTransient => _isTransient;

    /// <summary>The stack of the driver's exception, where it was thrown.</summary>
    public override string? StackTrace => _stackTrace;

    /// <summary>The driver's exception type, SQLSTATE and redacted message, then the inner exceptions and the stack.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(GetType().FullName).Append(" (").Append(DriverExceptionType);
        if (SqlState is { Length: > 0 } state)
        {
            text.Append(", SQLSTATE ").Append(state);
        }

        text.Append("): ").Append(Message);
        if (InnerException is { } inner)
        {
            text.Append(" ---> ").Append(inner).AppendLine().Append("   --- End of inner exception stack trace ---");
        }

        if (StackTrace is { } stack)
        {
            text.AppendLine().Append(stack);
        }

        return text.ToString();
    }
}

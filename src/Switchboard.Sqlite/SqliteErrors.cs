using System.Data.Common;
using Microsoft.Data.Sqlite;
using Switchboard.Dialects;

namespace Switchboard.Sqlite;

/// <summary>The kind of a failed statement from SQLite's extended result codes (SQLite has no SQLSTATE).</summary>
internal static class SqliteErrors
{
    /// <summary>The kind each extended result code names.</summary>
    public static readonly IReadOnlyDictionary<int, StatementErrorKind> Kinds = new Dictionary<int, StatementErrorKind>
    {
        [2067] = StatementErrorKind.UniqueViolation, // SQLITE_CONSTRAINT_UNIQUE
        [1555] = StatementErrorKind.UniqueViolation, // SQLITE_CONSTRAINT_PRIMARYKEY
        [787] = StatementErrorKind.ForeignKeyViolation, // SQLITE_CONSTRAINT_FOREIGNKEY
        [1299] = StatementErrorKind.NotNullViolation, // SQLITE_CONSTRAINT_NOTNULL
        [275] = StatementErrorKind.CheckViolation, // SQLITE_CONSTRAINT_CHECK
        [517] = StatementErrorKind.SerializationFailure, // SQLITE_BUSY_SNAPSHOT: a WAL reader's snapshot went stale before it could write
        [5] = StatementErrorKind.Timeout, // SQLITE_BUSY: busy_timeout passed while another connection held the lock
        [261] = StatementErrorKind.Timeout, // SQLITE_BUSY_RECOVERY
        [773] = StatementErrorKind.Timeout, // SQLITE_BUSY_TIMEOUT
    };

    public static StatementErrorInfo Describe(DbException exception)
    {
        if (exception is not SqliteException sqlite)
        {
            return new StatementErrorInfo(StatementErrorKind.Other);
        }

        var code = sqlite.SqliteExtendedErrorCode;
        var kind = Kinds.TryGetValue(code, out var known)
            ? known
            : sqlite.SqliteErrorCode == 1 && IsSyntax(sqlite.Message) ? StatementErrorKind.Syntax : StatementErrorKind.Other;
        return new StatementErrorInfo(kind, null, code, kind == StatementErrorKind.CheckViolation ? CheckName(sqlite.Message) : null);
    }

    // SQLITE_ERROR covers both; the message tells: "near "SELEC": syntax error", "no such table: t", "no such column: x".
    private static bool IsSyntax(string message) =>
        message.Contains("syntax error", StringComparison.Ordinal) || message.Contains("no such table", StringComparison.Ordinal)
        || message.Contains("no such column", StringComparison.Ordinal) || message.Contains("no such function", StringComparison.Ordinal);

    /// <summary>SQLite names a check by its name when it has one: <c>CHECK constraint failed: positive_price</c>.</summary>
    private static string? CheckName(string message)
    {
        const string Marker = "CHECK constraint failed: ";
        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var name = message[(at + Marker.Length)..].TrimEnd('\'', '.', ' ');
        return name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c == '_') ? name : null;
    }
}

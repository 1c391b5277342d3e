namespace Switchboard;

/// <summary>What kind of failure a statement met, as the engine's provider reads the driver's error code.</summary>
public enum StatementErrorKind
{
    /// <summary>None of the kinds below, or the engine did not say.</summary>
    Other,

    /// <summary>A unique constraint, unique index or primary key refused a duplicate value.</summary>
    UniqueViolation,

    /// <summary>A foreign key refused a row whose parent is missing, or the removal of a parent that still has children.</summary>
    ForeignKeyViolation,

    /// <summary>A NULL was written to a column that does not allow it (or that has no default, on MySQL in strict mode).</summary>
    NotNullViolation,

    /// <summary>A CHECK constraint refused the row.</summary>
    CheckViolation,

    /// <summary>The server chose this statement's transaction as a deadlock victim; running the whole transaction again may succeed.</summary>
    Deadlock,

    /// <summary>The transaction could not be serialized with concurrent ones (SQLSTATE 40001); running the whole transaction again may succeed.</summary>
    SerializationFailure,

    /// <summary>The statement ran out of time: the server's own statement or lock timeout, or Switchboard's <c>command_timeout</c> (<see cref="CommandTimeoutException"/>).</summary>
    Timeout,

    /// <summary>The statement is malformed or names something the server does not know (a syntax error, an unknown table or column).</summary>
    Syntax,
}

namespace Switchboard.Dialects;

/// <summary>What a statement that failed inside a transaction did to that transaction on the server (<see cref="DatabaseDriver.EffectOnTransaction"/>).</summary>
public enum TransactionFailureEffect
{
    /// <summary>Only the failed statement was undone; the transaction goes on and may still commit (MySQL's ordinary errors, Oracle, SQLite's constraint errors).</summary>
    StatementUndone,

    /// <summary>
    /// The transaction accepts nothing more and can only roll back, but rolling back to a savepoint taken before the
    /// statement makes it healthy again (PostgreSQL after any error).
    /// </summary>
    TransactionAborted,

    /// <summary>The server has already rolled back the whole transaction, savepoints included (a deadlock victim on MySQL or SQL Server, SQLite after a full disk).</summary>
    TransactionRolledBack,
}

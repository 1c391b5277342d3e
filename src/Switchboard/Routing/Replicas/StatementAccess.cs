namespace Switchboard.Routing.Replicas;

/// <summary>
/// What a statement does, as far as routing is concerned: the one decision between primary and replica. Every statement
/// runs through <see cref="Connection"/>'s <c>RunAsync</c>, which takes one of these (default <see cref="Classify"/>).
/// </summary>
/// <remarks>
/// Model reads (All, Find, Where, Count, Exists, First, Pluck, aggregates) pass <see cref="Read"/>; model writes (Save,
/// Delete, UpdateAll, DeleteAll, InsertAll) pass <see cref="Write"/>. Raw SQL is left to <see cref="Classify"/>, which
/// tokenizes it (<see cref="StatementClassifier"/>). A path that runs statements without <c>RunAsync</c> must call
/// <see cref="ReplicaRouter.BeforeWrite"/> for a write.
/// </remarks>
internal enum StatementAccess
{
    /// <summary>Unknown: the statement is tokenized; anything not known to be a read is a write.</summary>
    Classify,

    /// <summary>Only reads: may go to a replica.</summary>
    Read,

    /// <summary>Writes: goes to the primary; refused inside <c>UsingReplicas</c>.</summary>
    Write,

    /// <summary>Only reads, but must see the primary (<c>Query&lt;T&gt;.OnPrimary()</c>).</summary>
    ReadOnPrimary,
}

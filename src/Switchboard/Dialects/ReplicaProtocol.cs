using System.Data.Common;

namespace Switchboard.Dialects;

/// <summary>
/// The provider SPI for read replicas: how an engine makes a session read-only, reports the primary's replication
/// position after a commit, and reports a replica's replayed position and lag. A driver returns one from
/// <see cref="DatabaseDriver.Replication"/>; without one, a connection's replicas get no causal reads (only <c>window</c>).
/// </summary>
public abstract class ReplicaProtocol
{
    /// <summary>A statement run on each new replica connection that makes the session refuse writes on the server.</summary>
    public abstract string ReadOnlySessionSql { get; }

    /// <summary>
    /// A query run on the primary's connection right after a write has committed, returning one text value: a position at or
    /// after that commit. Null when the engine cannot report one (read-your-writes then falls back to <c>window</c>).
    /// </summary>
    public virtual string? PrimaryPositionSql => null;

    /// <summary>A query run on a replica that returns one row, read by <see cref="ReadReplicaState"/>.</summary>
    public abstract string ReplicaStatusSql { get; }

    /// <summary>Reads the row of <see cref="ReplicaStatusSql"/> (the reader is on that row).</summary>
    /// <param name="row">The reader, positioned on the row.</param>
    public abstract ReplicaState ReadReplicaState(DbDataReader row);

    /// <summary>Whether a replica that has replayed <paramref name="replayed"/> has replayed <paramref name="required"/> too.</summary>
    /// <param name="replayed">A position read from the replica.</param>
    /// <param name="required">A position read from the primary.</param>
    public virtual bool Covers(string replayed, string required) => false;

    /// <summary>The position that covers both (a flow that wrote twice, a token merged with this flow's writes).</summary>
    /// <param name="first">A position read from the primary.</param>
    /// <param name="second">Another position read from the primary.</param>
    public virtual string Merge(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return Covers(first, second) ? first : second;
    }

    /// <summary>Whether <paramref name="position"/> is one this engine could have reported (a token read back from a client is checked with it).</summary>
    /// <param name="position">The position text.</param>
    public virtual bool IsValidPosition(string position) => !string.IsNullOrEmpty(position);
}

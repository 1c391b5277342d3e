using System.Data.Common;
using Switchboard.Dialects;

namespace Switchboard.Sqlite;

/// <summary>
/// SQLite has no replication; a "replica" is another database file kept in step by the application (a copy, Litestream's
/// restore). Its sessions are read-only (<c>PRAGMA query_only</c>); it reports no position, so read-your-writes uses the window.
/// </summary>
internal sealed class SqliteReplicas : ReplicaProtocol
{
    public static readonly SqliteReplicas Instance = new();

    public override string ReadOnlySessionSql => "PRAGMA query_only = ON";

    public override string ReplicaStatusSql => "SELECT NULL, NULL";

    public override ReplicaState ReadReplicaState(DbDataReader row) => new(null, null);
}

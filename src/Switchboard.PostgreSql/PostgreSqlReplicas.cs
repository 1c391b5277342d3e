using System.Data.Common;
using System.Globalization;
using Switchboard.Dialects;

namespace Switchboard.PostgreSql;

/// <summary>PostgreSQL streaming replicas: positions are WAL LSNs (<c>pg_current_wal_lsn()</c>, <c>pg_last_wal_replay_lsn()</c>).</summary>
internal sealed class PostgreSqlReplicas : ReplicaProtocol
{
    public static readonly PostgreSqlReplicas Instance = new();

    public override string ReadOnlySessionSql => "SET SESSION default_transaction_read_only = on";

    // The insert position: at or after the end of every commit record already acknowledged, even with synchronous_commit off
    // (the write position may still be behind a commit that is only in WAL buffers).
    public override string PrimaryPositionSql => "SELECT pg_current_wal_insert_lsn()::text";

    // Lag is 0 while the standby has replayed all it received; otherwise the age of the last transaction it replayed.
    public override string ReplicaStatusSql =>
        "SELECT pg_last_wal_replay_lsn()::text, CASE WHEN NOT pg_is_in_recovery() THEN NULL "
        + "WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 "
        + "ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0) END::float8";

    public override ReplicaState ReadReplicaState(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var position = row.IsDBNull(0) ? null : row.GetString(0);
        TimeSpan? lag = row.IsDBNull(1) ? null : TimeSpan.FromSeconds(Math.Max(0, row.GetDouble(1)));
        return new ReplicaState(position, lag);
    }

    public override bool Covers(string replayed, string required) =>
        TryParse(replayed, out var have) && TryParse(required, out var need) && have >= need;

    public override bool IsValidPosition(string position) => TryParse(position, out _);

    private static bool TryParse(string? lsn, out ulong value)
    {
        value = 0;
        var slash = lsn?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash <= 0 || slash > 8 || lsn!.Length - slash - 1 is < 1 or > 8
            || !uint.TryParse(lsn.AsSpan(0, slash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)
            || !uint.TryParse(lsn.AsSpan(slash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low))
        {
            return false;
        }

        value = ((ulong)high << 32) | low;
        return true;
    }
}

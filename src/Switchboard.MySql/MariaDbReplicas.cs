using System.Data.Common;
using System.Globalization;
using Switchboard.Dialects;

namespace Switchboard.MySql;

/// <summary>
/// MariaDB GTID replicas: positions are GTID lists (<c>domain-server-sequence</c>, one per replication domain), read from
/// <c>@@gtid_binlog_pos</c> on the primary and <c>@@gtid_slave_pos</c> on the replica (what <c>MASTER_GTID_WAIT</c> waits for);
/// lag is <c>SHOW SLAVE STATUS</c>'s <c>Seconds_Behind_Master</c>.
/// </summary>
internal sealed class MariaDbReplicas : ReplicaProtocol
{
    public static readonly MariaDbReplicas Instance = new();

    public override string ReadOnlySessionSql => "SET SESSION TRANSACTION READ ONLY";

    public override string PrimaryPositionSql => "SELECT @@gtid_binlog_pos";

    public override string ReplicaStatusSql => "SELECT @@gtid_slave_pos; SHOW SLAVE STATUS";

    public override ReplicaState ReadReplicaState(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var position = row.IsDBNull(0) ? null : Convert.ToString(row.GetValue(0), CultureInfo.InvariantCulture);
        if (!row.NextResult() || !row.Read())
        {
            // Not a replica: nothing is replayed, so it can be trusted with no position.
            return new ReplicaState(null, null);
        }

        // NULL while replication is stopped: the replica falls further behind with no bound, so it counts as lagging without end.
        var lagColumn = row.GetOrdinal("Seconds_Behind_Master");
        var lag = row.IsDBNull(lagColumn) ? TimeSpan.MaxValue : TimeSpan.FromSeconds(Convert.ToDouble(row.GetValue(lagColumn), CultureInfo.InvariantCulture));
        return new ReplicaState(string.IsNullOrEmpty(position) ? null : position, lag);
    }

    public override bool Covers(string replayed, string required)
    {
        if (!TryParse(replayed, out var have) || !TryParse(required, out var need))
        {
            return false;
        }

        foreach (var (domain, sequence) in need)
        {
            if (!have.TryGetValue(domain, out var reached) || reached < sequence)
            {
                return false;
            }
        }

        return true;
    }

    public override string Merge(string first, string second)
    {
        if (!TryParse(first, out var a) || !TryParse(second, out var b))
        {
            return base.Merge(first, second);
        }

        foreach (var (domain, sequence) in b)
        {
            a[domain] = a.TryGetValue(domain, out var other) ? Math.Max(other, sequence) : sequence;
        }

        // The server id of a merged entry does not matter to Covers; 0 keeps the text a valid GTID list.
        return string.Join(",", a.OrderBy(p => p.Key).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}-0-{p.Value}")));
    }

    public override bool IsValidPosition(string position) => TryParse(position, out _);

    private static bool TryParse(string? text, out Dictionary<uint, ulong> positions)
    {
        positions = [];
        if (text is null)
        {
            return false;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split('-');
            if (pieces.Length != 3
                || !uint.TryParse(pieces[0], NumberStyles.None, CultureInfo.InvariantCulture, out var domain)
                || !uint.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                || !ulong.TryParse(pieces[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                return false;
            }

            positions[domain] = Math.Max(sequence, positions.GetValueOrDefault(domain));
        }

        return true;
    }
}

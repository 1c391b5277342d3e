using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Dialects;
using Switchboard.Pooling;
using Switchboard.Routing.Replicas;

namespace Switchboard;

// Replicas at configure time: each one's configuration completed from the primary's and validated, then its own pool.
public sealed partial class ConnectionRegistry
{
    /// <summary>The replicas' complete configurations, validated; empty without replicas.</summary>
    private List<ConnectionConfig> ValidateReplicas(string name, ConnectionConfig primary, DatabaseDriver driver)
    {
        ReplicaConfigs.ValidatePrimary(name, primary);
        var resolved = new List<ConnectionConfig>();
        if (primary.Replicas.Count == 0)
        {
            return resolved;
        }

        if (driver.Replication is null)
        {
            throw new ConfigurationException(
                $"Connection '{name}': the {driver.Name} driver does not support replicas. Remove 'replicas', or configure each replica as a connection of its own.",
                "replicas",
                name);
        }

        for (var index = 0; index < primary.Replicas.Count; index++)
        {
            var given = ReplicaConfigs.Resolve(name, primary, primary.Replicas[index], index);
            var described = ReplicaConfigs.Describe(index, given.Host);
            try
            {
                var replicaDriver = Validate(name, given);
                if (replicaDriver != driver)
                {
                    throw new ConfigurationException(
                        $"Connection '{name}': its driver is {replicaDriver.Name}, but the primary's is {driver.Name}. A replica uses its primary's driver; remove 'driver' from the replica.",
                        "driver",
                        name);
                }
            }
            catch (ConfigurationException exception)
            {
                var prefix = $"Connection '{name}'";
                var message = exception.Message.StartsWith(prefix, StringComparison.Ordinal)
                    ? $"Connection '{name}', {described}{(exception.Problems.Count > 1 ? "," : "")}{exception.Message[prefix.Length..]}"
                    : $"Connection '{name}', {described}: {exception.Message}";
                throw new ConfigurationException(message, exception.Key, name, exception.InnerException);
            }

            var replica = Normalize(given, driver);

            // The session refuses writes on the server too, so that a write the classifier missed fails rather than lands.
            var readOnly = driver.Replication.ReadOnlySessionSql;
            replica.InitCommand = string.IsNullOrWhiteSpace(replica.InitCommand) ? readOnly : replica.InitCommand.TrimEnd().TrimEnd(';') + "; " + readOnly;
            resolved.Add(replica);
        }

        return resolved;
    }

    /// <summary>Gives <paramref name="connection"/> its replicas, each with a pool of its own.</summary>
    private void AttachReplicas(Connection connection, ConnectionConfig primary, DatabaseDriver driver, List<ConnectionConfig> replicas, ILoggerFactory? loggerFactory)
    {
        if (replicas.Count == 0)
        {
            return;
        }

        var members = new Replica[replicas.Count];
        for (var index = 0; index < replicas.Count; index++)
        {
            var config = replicas[index];
            var poolName = $"{connection.Name}/replica{index}";
            var source = driver.CreateDataSource(config, connection.Name);
            var pool = new ConnectionPool(poolName, Id, config, driver, source, Events, TimeProvider, loggerFactory?.CreateLogger("Switchboard.Pool") ?? NullLogger.Instance)
            {
                // Rows read on a replica are the primary connection's records: they save back to the primary.
                Owner = connection,
            };
            members[index] = new Replica(index, config, pool, driver.Replication!);
        }

        connection.AttachReplicas(new ReplicaSet(this, connection.Name, members, driver.Replication!, primary, TimeProvider, loggerFactory?.CreateLogger("Switchboard.Routing") ?? NullLogger.Instance));
    }

    private static async ValueTask DisposeReplicasAsync(Connection connection)
    {
        if (connection.ReplicaSet is { } set)
        {
            await set.DisposeAsync().ConfigureAwait(false);
        }
    }
}

using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Switchboard.Cli;

/// <summary>
/// <c>switchboard check</c>: pings every configured connection and prints engine, version, latency, pool settings and
/// status, then checks each replica (one row each: <c>&lt;name&gt;/replica&lt;N&gt;</c>, its health and lag); with <c>--models app.dll</c>, also checks the assembly's models against the live schema (<see cref="ModelCheck"/>).
/// </summary>
internal static class CheckCommand
{
    public static Command Create(Option<string> config, Terminal terminal)
    {
        var models = new Option<string?>("--models") { Description = "A built assembly whose models (ActiveRecord<T> classes) are checked against each connection's live schema." };
        var command = new Command("check", "Ping every configured connection and print its engine, server version, latency, pool settings and status.") { models };
        command.SetAction((parse, cancellationToken) => CliApp.GuardAsync(terminal, () => RunAsync(parse.GetValue(config)!, parse.GetValue(models), terminal, cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(string configPath, string? modelsPath, Terminal terminal, CancellationToken cancellationToken)
    {
        var registry = CliApp.CreateRegistry();
        await using (registry.ConfigureAwait(false))
        {
            ConfigFile.Load(configPath, registry);
            var connections = registry.Names.Select(registry.GetConnection).ToList();
            var refused = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var connection in connections)
            {
                if (SqliteGuard.Problem(connection) is { } problem)
                {
                    // Out of the registry before the health check, which would otherwise open (and create) the file.
                    refused[connection.Name] = problem;
                    await registry.DisposeAsync(connection.Name).ConfigureAwait(false);
                }
            }

            var checks = await terminal.WithStatusAsync($"Checking {connections.Count} connections...", () => registry.CheckHealthAsync(cancellationToken)).ConfigureAwait(false);
            var health = checks.ToDictionary(h => h.Name, StringComparer.Ordinal);
            var problems = new List<string>();
            var table = new Table().AddColumns("name", "engine", "server version", "latency", "pool", "status");
            foreach (var connection in connections)
            {
                var (status, version, latency, problem) = refused.TryGetValue(connection.Name, out var why)
                    ? ("unhealthy", "", "", why)
                    : await DescribeAsync(connection, health[connection.Name], cancellationToken).ConfigureAwait(false);
                if (problem is not null)
                {
                    problems.Add(problem);
                }

                table.AddRow(
                    new Text(connection.Name),
                    new Text(connection.Driver),
                    new Text(version),
                    new Text(latency),
                    new Text(PoolSettings(connection.Config)),
                    new Text(status, problem is null ? Style.Plain : new Style(Color.Red)));
                if (!refused.ContainsKey(connection.Name))
                {
                    problems.AddRange(await AddReplicaRowsAsync(table, connection, cancellationToken).ConfigureAwait(false));
                }
            }

            terminal.Ansi.Write(table);
            if (modelsPath is not null)
            {
                problems.AddRange(await ModelCheck.RunAsync(registry, modelsPath, terminal, cancellationToken).ConfigureAwait(false));
            }

            foreach (var problem in problems)
            {
                terminal.WriteError(problem);
            }

            return problems.Count == 0 ? ExitCode.Ok : ExitCode.Problems;
        }
    }

    /// <summary>One row per replica after checking them all now (health and lag, as routing checks them); the problems found.</summary>
    private static async Task<List<string>> AddReplicaRowsAsync(Table table, Connection connection, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (connection.Config.Replicas.Count == 0)
        {
            return problems;
        }

        var refused = SqliteGuard.ReplicaProblem(connection);
        IReadOnlyList<ReplicaInfo> replicas = refused is null ? await connection.CheckReplicasAsync(cancellationToken).ConfigureAwait(false) : connection.Replicas;
        if (refused is { } why)
        {
            problems.Add(why.Problem);
        }

        foreach (var replica in replicas)
        {
            var name = $"{connection.Name}/replica{replica.Index.ToString(CultureInfo.InvariantCulture)}";
            var lag = replica.Lag is { } known ? " lag=" + ConfigFile.Seconds(known) : "";
            var where = replica.Host is { } host ? " host=" + host + (replica.Port is { } port ? ":" + port.ToString(CultureInfo.InvariantCulture) : "") : "";
            var status = refused is null ? replica.Health.ToString().ToLowerInvariant() : refused.Value.Index == replica.Index ? "unhealthy" : "not checked";
            if (refused is null && replica.Health != ReplicaHealth.Healthy)
            {
                problems.Add(replica.Health == ReplicaHealth.Lagging
                    ? $"Replica {replica.Index} of '{connection.Name}' is lagging{lag.Replace("=", " ", StringComparison.Ordinal)}, behind max_replica_lag: reads skip it."
                    : $"Replica {replica.Index} of '{connection.Name}' is down: it could not be reached or did not answer the replication query.");
            }

            table.AddRow(
                new Text(name),
                new Text(connection.Driver),
                new Text(""),
                new Text(""),
                new Text(string.Create(CultureInfo.InvariantCulture, $"pool_size={replica.Statistics.MaxSize}{where}{lag}")),
                new Text(status, status == "healthy" ? Style.Plain : new Style(Color.Red)));
        }

        return problems;
    }

    private static async Task<(string Status, string Version, string Latency, string? Problem)> DescribeAsync(
        Connection connection, ConnectionHealth health, CancellationToken cancellationToken)
    {
        var latency = health.Latency.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
        var status = health.Status.ToString().ToLowerInvariant();
        if (health.Status != HealthStatus.Healthy)
        {
            return (status, "", latency, $"Connection '{connection.Name}' is {status}: {health.Error ?? "no error was reported."}");
        }

        try
        {
            return (status, await ServerVersion.ReadAsync(connection, cancellationToken).ConfigureAwait(false), latency, null);
        }
        catch (SwitchboardException exception)
        {
            return ("unhealthy", "", latency, $"Connection '{connection.Name}' answered a ping but not the version query: {exception.Message}");
        }
    }

    private static string PoolSettings(ConnectionConfig config) => string.Create(
        CultureInfo.InvariantCulture,
        $"pool_size={config.PoolSize} pool_timeout={ConfigFile.Seconds(config.PoolTimeout)} pool_recycle={ConfigFile.Seconds(config.PoolRecycle)} "
        + $"min_idle={config.MinIdle} idle_timeout={ConfigFile.Seconds(config.IdleTimeout)} pool_pre_ping={config.PoolPrePing.ToString().ToLowerInvariant()}");
}

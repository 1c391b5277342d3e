using System.Globalization;

namespace Switchboard.Soak;

/// <summary>
/// The command line: <c>--engine postgres|mariadb|pgbouncer</c> (postgres; pgbouncer: PostgreSQL behind PgBouncer in
/// transaction mode, the pool configured with <c>pooler: pgbouncer</c>), <c>--auto-prepare true|false</c> (the engine's default), <c>--seconds N</c> (60), <c>--workers N</c> (64),
/// <c>--pool-size N</c> (8), <c>--kill-every S</c> (3; 0 = no kills), <c>--restart-every S</c> (0 = never),
/// <c>--command-timeout S</c> (2), <c>--pool-timeout S</c> (2), <c>--sync true|false</c> (false: every worker async; true:
/// every other worker uses the sync API on a thread of its own), <c>--stop-every S</c> (0 = never: the server's processes
/// are stopped with SIGSTOP every S seconds) and <c>--stop-for S</c> (5: how long each stop lasts).
/// </summary>
internal sealed record SoakOptions(string Engine, int Seconds, int Workers, int PoolSize, double KillEverySeconds, double RestartEverySeconds, double CommandTimeoutSeconds, double PoolTimeoutSeconds, bool? AutoPrepare = null, bool Sync = false, double StopEverySeconds = 0, double StopForSeconds = 5)
{
    public static SoakOptions Parse(string[] args)
    {
        var options = new SoakOptions("postgres", 60, 64, 8, 3, 0, 2, 2);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--engine" when value is "postgres" or "mariadb" or "pgbouncer" => options with { Engine = value },
                "--engine" => throw new ArgumentException($"--engine is postgres, mariadb or pgbouncer, not '{value}'."),
                "--auto-prepare" => options with { AutoPrepare = bool.Parse(value) },
                "--seconds" => options with { Seconds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--workers" => options with { Workers = int.Parse(value, CultureInfo.InvariantCulture) },
                "--pool-size" => options with { PoolSize = int.Parse(value, CultureInfo.InvariantCulture) },
                "--kill-every" => options with { KillEverySeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--restart-every" => options with { RestartEverySeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--command-timeout" => options with { CommandTimeoutSeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--pool-timeout" => options with { PoolTimeoutSeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--sync" => options with { Sync = bool.Parse(value) },
                "--stop-every" => options with { StopEverySeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--stop-for" => options with { StopForSeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException(
                    $"Unknown argument '{args[i]}'. Use --engine postgres|mariadb|pgbouncer, --auto-prepare true|false, --seconds N, --workers N, --pool-size N, --kill-every S, --restart-every S, --command-timeout S, --pool-timeout S, --sync true|false, --stop-every S, --stop-for S."),
            };
            i++;
        }

        return options;
    }
}

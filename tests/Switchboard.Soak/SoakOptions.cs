using System.Globalization;

namespace Switchboard.Soak;

/// <summary>The command line: <c>--seconds N</c> (default 60), <c>--workers N</c> (64), <c>--pool-size N</c> (8), <c>--kill-every S</c> (3).</summary>
internal sealed record SoakOptions(int Seconds, int Workers, int PoolSize, double KillEverySeconds)
{
    public static SoakOptions Parse(string[] args)
    {
        var options = new SoakOptions(60, 64, 8, 3);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--seconds" => options with { Seconds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--workers" => options with { Workers = int.Parse(value, CultureInfo.InvariantCulture) },
                "--pool-size" => options with { PoolSize = int.Parse(value, CultureInfo.InvariantCulture) },
                "--kill-every" => options with { KillEverySeconds = double.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Use --seconds N, --workers N, --pool-size N, --kill-every SECONDS."),
            };
            i++;
        }

        return options;
    }
}

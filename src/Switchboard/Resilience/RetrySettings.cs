using System.Globalization;

namespace Switchboard.Resilience;

/// <summary>Reads the <c>retry</c> key (a dictionary, true/false, or <c>max_attempts:5,base_delay:0.2</c> as text) and checks it.</summary>
internal static class RetrySettings
{
    /// <summary>The keys of the <c>retry</c> dictionary.</summary>
    public static readonly IReadOnlyList<string> Keys = ["max_attempts", "base_delay", "max_delay", "deadline"];

    /// <summary>Reads the value given for <c>retry</c>; null turns retries off.</summary>
    /// <param name="value">The value as configured.</param>
    /// <param name="source">Where it came from, for messages (<c>key</c>, <c>URL parameter</c>, ...).</param>
    public static RetryOptions? Read(object? value, string source)
    {
        switch (value)
        {
            case null:
                return null;
            case RetryOptions options:
                return options.Clone();
            case bool on:
                return on ? new RetryOptions() : null;
            case string text when bool.TryParse(text.Trim(), out var on):
                return on ? new RetryOptions() : null;
            case string text:
                return FromPairs(Split(text, source), source);
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                return FromPairs(pairs, source);
            case IEnumerable<KeyValuePair<string, string>> strings:
                return FromPairs(strings.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)), source);
            default:
                throw Wrong(source, $"must be a dictionary with {string.Join(", ", Keys)}, true, or false, but was {value.GetType().Name}.");
        }
    }

    /// <summary>Checks the ranges; adds one problem naming every range at fault.</summary>
    public static void Check(RetryOptions? options, ICollection<ConfigurationProblem> problems)
    {
        if (options is null)
        {
            return;
        }

        var faults = new List<string>();
        if (options.MaxAttempts is < 1 or > RetryOptions.MaxAttemptsLimit)
        {
            faults.Add($"max_attempts must be between 1 (no retries) and {RetryOptions.MaxAttemptsLimit}, but was {options.MaxAttempts}");
        }

        if (options.BaseDelay < TimeSpan.Zero)
        {
            faults.Add($"base_delay must be zero or more seconds, but was {Seconds(options.BaseDelay)}");
        }

        if (options.MaxDelay < options.BaseDelay)
        {
            faults.Add($"max_delay ({Seconds(options.MaxDelay)} s) must be at least base_delay ({Seconds(options.BaseDelay)} s)");
        }

        if (options.Deadline <= TimeSpan.Zero)
        {
            faults.Add($"deadline must be more than zero seconds, but was {Seconds(options.Deadline)}");
        }

        if (faults.Count > 0)
        {
            problems.Add(new ConfigurationProblem(
                "retry",
                $"retry is not valid: {string.Join("; ", faults)}. Change these values of retry, or remove retry to turn retries off."));
        }
    }

    private static RetryOptions FromPairs(IEnumerable<KeyValuePair<string, object?>> pairs, string source)
    {
        var options = new RetryOptions();
        foreach (var (key, value) in pairs)
        {
            switch (key.Trim().ToLowerInvariant())
            {
                case "max_attempts":
                    options.MaxAttempts = ReadInt(value, key, source);
                    break;
                case "base_delay":
                    options.BaseDelay = ReadSeconds(value, key, source);
                    break;
                case "max_delay":
                    options.MaxDelay = ReadSeconds(value, key, source);
                    break;
                case "deadline":
                    options.Deadline = ReadSeconds(value, key, source);
                    break;
                default:
                    throw Wrong(source, $"has an unknown key '{key}'. The retry dictionary accepts {string.Join(", ", Keys)}.");
            }
        }

        return options;
    }

    /// <summary>The URL and environment form: <c>max_attempts:5,base_delay:0.2</c>.</summary>
    private static IEnumerable<KeyValuePair<string, object?>> Split(string text, string source)
    {
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw Wrong(source, $"must be true, false, or pairs such as 'max_attempts:5,base_delay:0.2', but has '{part}'.");
            }

            yield return new(part[..colon].Trim(), part[(colon + 1)..].Trim());
        }
    }

    private static int ReadInt(object? value, string key, string source) => value switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        string s when int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        double d when d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
        _ => throw Wrong(source, $"{key} must be a whole number, but was {Describe(value)}."),
    };

    private static TimeSpan ReadSeconds(object? value, string key, string source)
    {
        if (value is null || !SecondsValue.TryRead(value, out var span, out var seconds))
        {
            throw Wrong(source, $"{key} must be a number of seconds or a TimeSpan, but was {Describe(value)}.");
        }

        if (span is { } given)
        {
            return given;
        }

        if (double.IsNaN(seconds) || double.IsInfinity(seconds) || Math.Abs(seconds) > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw Wrong(source, $"{key} must be a finite number of seconds, but was {Describe(value)}.");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    // Values of retry hold no secrets, but one read from a URL is never shown: a mangled URL can put password text anywhere.
    private static string Describe(object? value) => value?.GetType().Name ?? "null";

    private static ConfigurationException Wrong(string source, string problem) =>
        new($"Configuration {source} 'retry' {problem}", "retry");

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString(CultureInfo.InvariantCulture);
}

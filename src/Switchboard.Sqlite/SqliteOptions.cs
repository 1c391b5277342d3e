using Switchboard.Dialects;

namespace Switchboard;

/// <summary>
/// The keys of the <c>sqlite</c> driver: <c>journal_mode</c> and <c>busy_timeout</c>, with their defaults and checks,
/// and their typed properties on <see cref="ConnectionConfig"/>. Adding a key is one declaration here.
/// </summary>
public static class SqliteOptions
{
    internal static readonly EngineOption<string?> JournalModeKey = new("journal_mode", "wal", "The journal mode set on each new connection to a file.");

    internal static readonly EngineOption<TimeSpan?> BusyTimeoutKey = new("busy_timeout", TimeSpan.FromSeconds(5), "How long a statement waits for a lock held by another connection.");

    /// <summary>The journal modes <c>journal_mode</c> accepts.</summary>
    internal static readonly string[] JournalModes = ["wal", "delete", "truncate", "persist", "memory", "off"];

    internal static IReadOnlyList<EngineOption> All { get; } = [JournalModeKey, BusyTimeoutKey];

    internal static void Check(ConnectionConfig config, ICollection<ConfigurationProblem> problems)
    {
        if (config.JournalMode is { } mode && !JournalModes.Contains(mode.ToLowerInvariant()))
        {
            problems.Add(new("journal_mode", $"journal_mode '{mode}' is not a SQLite journal mode. Use one of {string.Join(", ", JournalModes)}."));
        }

        if (config.BusyTimeout is { } busy && busy < TimeSpan.Zero)
        {
            problems.Add(new("busy_timeout", $"busy_timeout must be zero or more seconds, but was {busy.TotalSeconds}."));
        }
    }

    extension(ConnectionConfig config)
    {
        /// <summary>SQLite: the journal mode set on each new connection to a file (key <c>journal_mode</c>).</summary>
        /// <value><c>wal</c> for files when null; in-memory databases keep SQLite's default.</value>
        public string? JournalMode
        {
            get => JournalModeKey.GetValue(config);
            set => JournalModeKey.SetValue(config, value);
        }

        /// <summary>SQLite: how long a statement waits for a lock held by another connection (key <c>busy_timeout</c>).</summary>
        /// <value>5 seconds when null.</value>
        public TimeSpan? BusyTimeout
        {
            get => BusyTimeoutKey.GetValue(config);
            set => BusyTimeoutKey.SetValue(config, value);
        }
    }
}

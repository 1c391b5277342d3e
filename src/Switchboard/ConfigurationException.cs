namespace Switchboard;

/// <summary>A configuration is invalid, or a connection name is unknown. The message names the key and the fix.</summary>
public sealed class ConfigurationException : SwitchboardException
{
    /// <summary>Creates an exception with a message.</summary>
    public ConfigurationException(string message)
        : base(message)
    {
        Problems = [new ConfigurationProblem(null, message)];
    }

    /// <summary>Creates an exception about one configuration key.</summary>
    public ConfigurationException(string message, string? key, string? connectionName = null, Exception? innerException = null)
        : base(message, connectionName, isTransient: false, innerException)
    {
        Key = key;
        Problems = [new ConfigurationProblem(key, message)];
    }

    /// <summary>Creates an exception that reports every problem of one connection's configuration at once.</summary>
    /// <param name="connectionName">The connection whose configuration has the problems.</param>
    /// <param name="problems">At least one problem.</param>
    public ConfigurationException(string connectionName, IReadOnlyList<ConfigurationProblem> problems)
        : base(Describe(connectionName, problems), connectionName, isTransient: false, innerException: null)
    {
        Problems = problems;
        Key = problems[0].Key;
    }

    /// <summary>The configuration key at fault (snake_case, as in the dictionary form), when there is one.</summary>
    public string? Key { get; }

    /// <summary>Every problem found, in the order checked; one for an exception about a single key.</summary>
    public IReadOnlyList<ConfigurationProblem> Problems { get; } = [];

    private static string Describe(string connectionName, IReadOnlyList<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentOutOfRangeException.ThrowIfZero(problems.Count);
        if (problems.Count == 1)
        {
            return $"Connection '{connectionName}': {problems[0].Message}";
        }

        var text = new System.Text.StringBuilder($"Connection '{connectionName}' has {problems.Count} problems:");
        for (var i = 0; i < problems.Count; i++)
        {
            text.Append(' ').Append(i + 1).Append(". ").Append(problems[i].Message);
        }

        return text.ToString();
    }
}

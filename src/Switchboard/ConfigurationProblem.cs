namespace Switchboard;

/// <summary>One thing wrong with a configuration: the key at fault and a sentence that says how to fix it.</summary>
public sealed class ConfigurationProblem
{
    /// <summary>Creates a problem about <paramref name="key"/>.</summary>
    /// <param name="key">The key at fault (snake_case, as in the dictionary form), or null when none is.</param>
    /// <param name="message">What is wrong and what to change, without the connection's name and without secrets.</param>
    public ConfigurationProblem(string? key, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Key = key;
        Message = message;
    }

    /// <summary>The key at fault (snake_case), when there is one.</summary>
    public string? Key { get; }

    /// <summary>What is wrong and what to change.</summary>
    public string Message { get; }

    /// <inheritdoc />
    public override string ToString() => Message;
}

using System.Collections;

namespace Switchboard.Diagnostics;

/// <summary>
/// Removes every part of one connection's password from text and exceptions before they leave Switchboard. A driver
/// repeats what it was given (the user name, the host, the database), and a careless configuration puts the password
/// there too, so any run of <see cref="MinimumFragment"/> or more of its characters is replaced, not only the whole.
/// </summary>
internal sealed class SecretScrubber
{
    /// <summary>The shortest part of a password that is removed (the whole of a shorter password is).</summary>
    public const int MinimumFragment = 4;

    private const string Mask = "***";

    private readonly string _secret;
    private readonly int _minimum;

    private SecretScrubber(string secret)
    {
        _secret = secret;
        _minimum = Math.Min(MinimumFragment, secret.Length);
    }

    /// <summary>A scrubber for a password, or null when there is none (nothing to hide, nothing to pay).</summary>
    public static SecretScrubber? For(string? password) => string.IsNullOrEmpty(password) ? null : new SecretScrubber(password);

    /// <summary>Whether the text holds any part of the password.</summary>
    public bool Reveals(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        for (var i = 0; i + _minimum <= text.Length; i++)
        {
            if (LongestFragmentAt(text, i) > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text with every part of the password replaced by <c>***</c>.</summary>
    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Reveals(text))
        {
            return text;
        }

        var result = new System.Text.StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var length = LongestFragmentAt(text, i);
            if (length > 0)
            {
                result.Append(Mask);
                i += length;
            }
            else
            {
                result.Append(text[i++]);
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// The exception itself when nothing it shows (its text, inner exceptions, data) holds a part of the password;
    /// otherwise a <see cref="RedactedDriverException"/> copy that keeps its type name, SQLSTATE, code, data and stack.
    /// </summary>
    public Exception Scrub(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return RevealsAnywhere(exception) ? new RedactedDriverException(exception, this) : exception;
    }

    private bool RevealsAnywhere(Exception exception)
    {
        if (Reveals(exception.ToString()))
        {
            return true;
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            foreach (DictionaryEntry entry in current.Data)
            {
                if (Reveals(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture))
                    || Reveals(Convert.ToString(entry.Value, System.Globalization.CultureInfo.InvariantCulture)))
                {
                    return true;
                }
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(RevealsAnywhere))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The length of the longest part of the password (at least the minimum) that starts at <paramref name="start"/>, or 0.</summary>
    private int LongestFragmentAt(string text, int start)
    {
        var longest = 0;
        for (var s = 0; s + _minimum <= _secret.Length; s++)
        {
            var length = 0;
            while (start + length < text.Length && s + length < _secret.Length && text[start + length] == _secret[s + length])
            {
                length++;
            }

            if (length >= _minimum && length > longest)
            {
                longest = length;
            }
        }

        return longest;
    }
}

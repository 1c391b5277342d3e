namespace Switchboard;

/// <summary>
/// How a connection retries work that failed for a reason that may pass (the <c>retry</c> key): acquiring a connection,
/// a model read outside a transaction that failed transiently, and a whole <see cref="Connection.Transaction(Action, System.Data.IsolationLevel?)"/>
/// lambda that lost a deadlock or a serialization conflict. A write outside a lambda transaction, and a statement in the
/// middle of a transaction, are never retried.
/// </summary>
/// <remarks>
/// The wait before retry <c>n</c> (1, 2, ...) is <see cref="BaseDelay"/> × 2^(n−1), at most <see cref="MaxDelay"/>, less a
/// random part of up to a half so that callers that failed together do not retry together. No retry is made whose wait
/// would end after <see cref="Deadline"/>, counted from the first attempt; the caller's <see cref="CancellationToken"/>
/// ends the wait at once.
/// </remarks>
public sealed class RetryOptions
{
    /// <summary>The largest <see cref="MaxAttempts"/> accepted.</summary>
    public const int MaxAttemptsLimit = 100;

    /// <summary>How many times the work runs at most, the first attempt included.</summary>
    /// <value>3. Between 1 (no retries) and <see cref="MaxAttemptsLimit"/>.</value>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before the first retry; each later one waits twice as long as the one before.</summary>
    /// <value>100 milliseconds. Zero or more.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two attempts.</summary>
    /// <value>2 seconds. At least <see cref="BaseDelay"/>.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long after the first attempt a retry may still begin: no wait ends past it.</summary>
    /// <value>10 seconds. More than zero.</value>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The settings in the dictionary form's words.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"max_attempts={MaxAttempts}, base_delay={BaseDelay.TotalSeconds}, max_delay={MaxDelay.TotalSeconds}, deadline={Deadline.TotalSeconds}");

    internal RetryOptions Clone() => (RetryOptions)MemberwiseClone();
}

namespace Switchboard.Resilience;

/// <summary>What a connection's retry pipeline is running, which decides what it may retry.</summary>
internal enum RetryOperation
{
    /// <summary>Taking a connection from the pool: nothing was sent, so any transient failure may be retried.</summary>
    Acquire,

    /// <summary>A model read outside a transaction: retried when it failed transiently (a timeout excepted).</summary>
    Read,

    /// <summary>A whole lambda transaction: retried from the start after a deadlock or a serialization failure only.</summary>
    Transaction,
}

namespace Switchboard;

/// <summary>Which idle connection a checkout takes (<c>checkout_order</c>).</summary>
public enum CheckoutOrder
{
    /// <summary>The most recently returned: a busy pool reuses few connections and lets the rest idle out (the default).</summary>
    Lifo,

    /// <summary>The least recently returned: spreads use evenly over every connection.</summary>
    Fifo,
}

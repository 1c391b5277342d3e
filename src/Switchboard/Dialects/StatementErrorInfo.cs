namespace Switchboard.Dialects;

/// <summary>What a provider reads from a driver's exception for a failed statement (see <see cref="DatabaseDriver.DescribeError"/>).</summary>
public readonly struct StatementErrorInfo
{
    /// <summary>Describes a failed statement.</summary>
    /// <param name="kind">What kind of failure it was.</param>
    /// <param name="sqlState">The SQLSTATE, where the engine has one.</param>
    /// <param name="errorNumber">The engine's own error number, where it has one.</param>
    /// <param name="constraintName">The constraint that refused the row, where the driver names it.</param>
    public StatementErrorInfo(StatementErrorKind kind, string? sqlState = null, int? errorNumber = null, string? constraintName = null)
    {
        Kind = kind;
        SqlState = sqlState;
        ErrorNumber = errorNumber;
        ConstraintName = constraintName;
    }

    /// <summary>What kind of failure it was.</summary>
    public StatementErrorKind Kind { get; }

    /// <summary>The SQLSTATE, or null.</summary>
    public string? SqlState { get; }

    /// <summary>The engine's own error number, or null.</summary>
    public int? ErrorNumber { get; }

    /// <summary>The constraint's name, or null.</summary>
    public string? ConstraintName { get; }
}

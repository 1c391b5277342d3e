namespace Switchboard.Querying;

/// <summary>The SQL of an operand of a condition, and whether it can be NULL (a nullable column, a function of one, or a null value).</summary>
internal readonly record struct SqlOperand(string Sql, bool Nullable);

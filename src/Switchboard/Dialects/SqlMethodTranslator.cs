namespace Switchboard.Dialects;

/// <summary>
/// Writes the SQL of one .NET method or property called in a <c>Where</c> predicate: a condition for a method that
/// returns <see cref="bool"/>, otherwise an expression of a column (<c>UPPER("Name")</c>).
/// </summary>
/// <param name="call">The call: its method, instance and arguments, and the ways to write them as SQL.</param>
/// <returns>The SQL of the call.</returns>
public delegate string SqlMethodTranslator(SqlMethodCall call);

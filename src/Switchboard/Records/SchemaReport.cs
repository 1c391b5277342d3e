namespace Switchboard;

/// <summary>What <see cref="ConnectionRegistry.VerifyModels(string, Type[])"/> found: every problem of every model checked, errors and warnings.</summary>
public sealed class SchemaReport
{
    /// <summary>Creates a report.</summary>
    /// <param name="problems">The problems found, in model order.</param>
    public SchemaReport(IReadOnlyList<SchemaProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        Problems = problems;
    }

    /// <summary>The problems found; empty when every model fits its table.</summary>
    public IReadOnlyList<SchemaProblem> Problems { get; }

    /// <summary>Whether any problem is an error (a statement of some model would fail).</summary>
    public bool HasErrors => Problems.Any(p => p.IsError);

    /// <summary>One line per problem, or a line saying there is none.</summary>
    public override string ToString() =>
        Problems.Count == 0 ? "No schema problems." : string.Join(Environment.NewLine, Problems);
}

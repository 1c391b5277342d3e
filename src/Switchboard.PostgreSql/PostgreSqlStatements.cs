namespace Switchboard.PostgreSql;

/// <summary>What the first words of a statement say about where it may run.</summary>
internal static class PostgreSqlStatements
{
    /// <summary>Statements that control a transaction, or that PostgreSQL refuses inside one (or in a batch of several).</summary>
    private static readonly HashSet<string> AloneFirstWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "PREPARE", "VACUUM", "CHECKPOINT", "REINDEX", "CLUSTER",
    };

    /// <summary>
    /// Whether <paramref name="sql"/> must be sent as it is, with nothing before it in its batch: a transaction control
    /// statement (in an aborted transaction only ROLLBACK is accepted), or one that cannot run in a transaction block
    /// (VACUUM, CREATE DATABASE, CREATE INDEX CONCURRENTLY, ALTER SYSTEM...).
    /// </summary>
    public static bool MustRunAlone(string sql)
    {
        Span<Range> words = stackalloc Range[5];
        var text = sql.AsSpan().TrimStart();
        var count = text.SplitAny(words, " \t\r\n(;", StringSplitOptions.RemoveEmptyEntries);
        if (count == 0)
        {
            return false;
        }

        var first = text[words[0]].ToString();
        if (AloneFirstWords.Contains(first))
        {
            return true;
        }

        if (count < 2 || !(first.Equals("CREATE", StringComparison.OrdinalIgnoreCase) || first.Equals("DROP", StringComparison.OrdinalIgnoreCase)
            || first.Equals("ALTER", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var second = text[words[1]];
        if (second.Equals("DATABASE", StringComparison.OrdinalIgnoreCase) || second.Equals("TABLESPACE", StringComparison.OrdinalIgnoreCase)
            || second.Equals("SYSTEM", StringComparison.OrdinalIgnoreCase) || second.Equals("SUBSCRIPTION", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        for (var i = 1; i < count; i++)
        {
            if (text[words[i]].Equals("CONCURRENTLY", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

using Switchboard.Dialects;

namespace Switchboard.Routing;

/// <summary>
/// Decides whether a raw SQL statement only reads, so that it may go to a replica. A tokenizer, not a pattern: comments,
/// strings and quoted names are skipped by the engine's lexical rules, so that a keyword inside them neither hides nor
/// invents a write. Anything not known to be a read is a write.
/// </summary>
internal static class StatementClassifier
{
    /// <summary>Whether <paramref name="sql"/> is a single statement that only reads.</summary>
    public static bool IsRead(string sql, SqlLexicon lexicon)
    {
        var lexer = new SqlLexer(sql, lexicon);
        var first = lexer.Next();
        while (first.Kind == TokenKind.Symbol && first.Is("("))
        {
            first = lexer.Next();
        }

        if (first.Kind != TokenKind.Word)
        {
            return false;
        }

        if (first.Is("EXPLAIN"))
        {
            return IsReadExplain(ref lexer);
        }

        if (!(first.Is("SELECT") || first.Is("WITH") || first.Is("SHOW") || first.Is("VALUES") || first.Is("TABLE")))
        {
            return false;
        }

        return RestIsRead(ref lexer);
    }

    /// <summary>The first words of a statement, for messages: at most <paramref name="words"/> tokens, never a string's content.</summary>
    public static string FirstWords(string sql, SqlLexicon lexicon, int words = 3)
    {
        var lexer = new SqlLexer(sql, lexicon);
        var parts = new List<string>(words);
        while (parts.Count < words)
        {
            var token = lexer.Next();
            if (token.Kind is TokenKind.End or TokenKind.Invalid)
            {
                break;
            }

            parts.Add(token.Kind switch
            {
                TokenKind.Word or TokenKind.Symbol => token.Text.ToString(),
                TokenKind.QuotedName => "\"...\"",
                _ => "'...'",
            });
        }

        return parts.Count == 0 ? "(empty statement)" : string.Join(' ', parts);
    }

    private static bool IsReadExplain(ref SqlLexer lexer)
    {
        // EXPLAIN alone plans without running; EXPLAIN ANALYZE runs the statement, so it is a read only when the statement is.
        var analyze = false;
        var token = lexer.Next();
        while (token.Kind == TokenKind.Word && (token.Is("ANALYZE") || token.Is("ANALYSE") || token.Is("VERBOSE") || token.Is("EXTENDED") || token.Is("PARTITIONS")))
        {
            analyze |= !token.Is("VERBOSE") && !token.Is("EXTENDED") && !token.Is("PARTITIONS");
            token = lexer.Next();
        }

        if (token.Kind == TokenKind.Symbol && token.Is("("))
        {
            // PostgreSQL's option list: EXPLAIN (ANALYZE, BUFFERS) ...; ANALYZE false leaves it a plan.
            var depth = 1;
            var previousWasAnalyze = false;
            while (depth > 0)
            {
                token = lexer.Next();
                if (token.Kind is TokenKind.End or TokenKind.Invalid)
                {
                    return false;
                }

                if (token.Kind == TokenKind.Symbol)
                {
                    depth += token.Is("(") ? 1 : token.Is(")") ? -1 : 0;
                }

                if (previousWasAnalyze)
                {
                    analyze = !(token.Kind == TokenKind.Word && (token.Is("FALSE") || token.Is("OFF")) || token.Kind == TokenKind.Number && token.Is("0"));
                    previousWasAnalyze = false;
                }

                if (token.Kind == TokenKind.Word && (token.Is("ANALYZE") || token.Is("ANALYSE")))
                {
                    analyze = true;
                    previousWasAnalyze = true;
                }
            }

            token = lexer.Next();
        }

        // MySQL: EXPLAIN FORMAT=JSON ...
        while (token.Kind == TokenKind.Word && token.Is("FORMAT"))
        {
            lexer.Next();
            lexer.Next();
            token = lexer.Next();
        }

        if (!analyze)
        {
            return RestIsRead(ref lexer, allowWrites: true);
        }

        while (token.Kind == TokenKind.Symbol && token.Is("("))
        {
            token = lexer.Next();
        }

        var explained = token.Kind == TokenKind.Word
            && (token.Is("SELECT") || token.Is("WITH") || token.Is("VALUES") || token.Is("TABLE"));
        return explained && RestIsRead(ref lexer);
    }

    /// <summary>Scans the rest of a read statement for what makes it a write, and for a second statement.</summary>
    private static bool RestIsRead(ref SqlLexer lexer, bool allowWrites = false)
    {
        Token before2 = default, before1 = default;
        var ended = false;
        while (true)
        {
            var token = lexer.Next();
            switch (token.Kind)
            {
                case TokenKind.End:
                    return true;
                case TokenKind.Invalid:
                    return false;
            }

            if (ended)
            {
                // More than one statement: the others are not classified one by one, so the whole is a write.
                return false;
            }

            if (token.Kind == TokenKind.Symbol && token.Is(";"))
            {
                ended = true;
                continue;
            }

            if (!allowWrites && token.Kind == TokenKind.Word && MakesWrite(token, before1, before2, ref lexer))
            {
                return false;
            }

            before2 = before1;
            before1 = token;
        }
    }

    private static bool MakesWrite(Token word, Token before1, Token before2, ref SqlLexer lexer)
    {
        if (word.Is("INSERT") || word.Is("UPDATE") || word.Is("DELETE") || word.Is("MERGE") || word.Is("INTO") || word.Is("UPSERT"))
        {
            // A data-modifying CTE, SELECT ... INTO, FOR UPDATE / FOR NO KEY UPDATE.
            return true;
        }

        if (word.Is("SHARE") && before1.Kind == TokenKind.Word && (before1.Is("FOR") || before1.Is("KEY") && before2.Is("FOR") || before1.Is("IN") && before2.Is("LOCK")))
        {
            return true;
        }

        if (word.Is("UPDLOCK") || word.Is("XLOCK") || word.Is("HOLDLOCK") || word.Is("TABLOCKX"))
        {
            // SQL Server's locking hints: the read takes locks on the primary's rows.
            return true;
        }

        if (word.Is("VALUE") && before1.Is("NEXT"))
        {
            // NEXT VALUE FOR seq (MariaDB, SQL Server) advances a sequence.
            return true;
        }

        if (!lexer.PeekIs('('))
        {
            return false;
        }

        // Functions with effects: sequences, advisory locks, notifications, session settings.
        var text = word.Text;
        return word.Is("NEXTVAL") || word.Is("SETVAL")
            || text.StartsWith("PG_ADVISORY", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("PG_TRY_ADVISORY", StringComparison.OrdinalIgnoreCase)
            || word.Is("GET_LOCK") || word.Is("RELEASE_LOCK") || word.Is("RELEASE_ALL_LOCKS")
            || word.Is("PG_NOTIFY") || word.Is("SET_CONFIG") || word.Is("SETSEED")
            || word.Is("DBLINK_EXEC") || word.Is("LO_IMPORT") || word.Is("LO_EXPORT") || word.Is("LO_UNLINK") || word.Is("LO_CREATE");
    }
}

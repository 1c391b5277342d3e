namespace Switchboard.Dialects;

/// <summary>The lexical rules of an engine's SQL that decide where comments, strings and quoted names end.</summary>
[Flags]
public enum SqlLexicon
{
    /// <summary>Standard SQL: <c>--</c> and <c>/* */</c> comments, <c>'</c> strings with <c>''</c>, <c>"</c> quoted names.</summary>
    Standard = 0,

    /// <summary>PostgreSQL's <c>$tag$ ... $tag$</c> strings.</summary>
    DollarQuotes = 1,

    /// <summary>Block comments nest (<c>/* /* */ */</c>), as in PostgreSQL.</summary>
    NestedBlockComments = 2,

    /// <summary><c>#</c> starts a comment, and <c>--</c> does only when followed by a space (MySQL).</summary>
    HashComments = 4,

    /// <summary><c>`</c> quotes names (MySQL).</summary>
    BacktickQuotes = 8,

    /// <summary>A backslash escapes the next character in strings (MySQL; PostgreSQL only in <c>E'...'</c>).</summary>
    BackslashEscapes = 16,

    /// <summary><c>[</c> and <c>]</c> quote names (SQL Server).</summary>
    BracketQuotes = 32,

    /// <summary><c>/*! ... */</c> comments are executed (MySQL), so the server runs what they hold.</summary>
    ExecutableComments = 64,
}

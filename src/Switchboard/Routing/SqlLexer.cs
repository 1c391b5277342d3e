using Switchboard.Dialects;

namespace Switchboard.Routing;

/// <summary>The kinds of token <see cref="SqlLexer"/> returns.</summary>
internal enum TokenKind
{
    None,
    Word,
    Number,
    String,
    QuotedName,
    Symbol,
    Parameter,
    End,

    /// <summary>An unterminated string, quoted name or comment, or a construct the lexer will not look inside.</summary>
    Invalid,
}

/// <summary>One token: its kind and its text in the statement.</summary>
internal readonly ref struct Token(TokenKind kind, ReadOnlySpan<char> text)
{
    public TokenKind Kind { get; } = kind;

    public ReadOnlySpan<char> Text { get; } = text;

    /// <summary>Whether the token's text is <paramref name="text"/>, ignoring case.</summary>
    public bool Is(string text) => Text.Equals(text, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Splits SQL into tokens by an engine's lexical rules (<see cref="SqlLexicon"/>), skipping whitespace and comments.
/// Allocation-free: tokens are spans of the statement.
/// </summary>
internal ref struct SqlLexer(string sql, SqlLexicon lexicon)
{
    private static readonly System.Buffers.SearchValues<char> StringPrefixes = System.Buffers.SearchValues.Create("EeNnXxBbUu");

    private readonly ReadOnlySpan<char> _sql = sql;
    private readonly SqlLexicon _lexicon = lexicon;
    private int _position;

    /// <summary>Whether the next character that is not whitespace or a comment is <paramref name="c"/>.</summary>
    public bool PeekIs(char c)
    {
        var saved = _position;
        var found = SkipSpaceAndComments() && _position < _sql.Length && _sql[_position] == c;
        _position = saved;
        return found;
    }

    public Token Next()
    {
        if (!SkipSpaceAndComments())
        {
            return new Token(TokenKind.Invalid, default);
        }

        if (_position >= _sql.Length)
        {
            return new Token(TokenKind.End, default);
        }

        var start = _position;
        var c = _sql[_position];
        switch (c)
        {
            case '\'':
                return Quoted(start, '\'', TokenKind.String, Has(SqlLexicon.BackslashEscapes));
            case '"':
                return Quoted(start, '"', TokenKind.QuotedName, Has(SqlLexicon.BackslashEscapes));
            case '`' when Has(SqlLexicon.BacktickQuotes):
                return Quoted(start, '`', TokenKind.QuotedName, backslash: false);
            case '[' when Has(SqlLexicon.BracketQuotes):
                return Quoted(start, ']', TokenKind.QuotedName, backslash: false);
            case '$' when Has(SqlLexicon.DollarQuotes) && DollarTag() is var tagLength and > 0:
                return DollarQuoted(start, tagLength);
            case '$' or '@' or ':' or '?' when _position + 1 < _sql.Length && (IsWordChar(_sql[_position + 1]) || c == '?'):
                _position++;
                while (_position < _sql.Length && IsWordChar(_sql[_position]))
                {
                    _position++;
                }

                return new Token(TokenKind.Parameter, _sql[start.._position]);
        }

        if (char.IsLetter(c) || c == '_')
        {
            while (_position < _sql.Length && (IsWordChar(_sql[_position]) || _sql[_position] == '$'))
            {
                _position++;
            }

            var word = _sql[start.._position];

            // E'...' (PostgreSQL) and N'...', X'...', B'...': a prefixed string. E'' honours backslashes.
            if (_position < _sql.Length && _sql[_position] == '\'' && word.Length <= 2 && StringPrefixes.Contains(word[0]))
            {
                var backslash = Has(SqlLexicon.BackslashEscapes) || word.Equals("E", StringComparison.OrdinalIgnoreCase);
                return Quoted(_position, '\'', TokenKind.String, backslash) is { Kind: TokenKind.Invalid } invalid ? invalid : new Token(TokenKind.String, _sql[start.._position]);
            }

            return new Token(TokenKind.Word, word);
        }

        if (char.IsDigit(c))
        {
            while (_position < _sql.Length && (char.IsLetterOrDigit(_sql[_position]) || _sql[_position] == '.'))
            {
                _position++;
            }

            return new Token(TokenKind.Number, _sql[start.._position]);
        }

        _position++;
        return new Token(TokenKind.Symbol, _sql[start.._position]);
    }

    private readonly bool Has(SqlLexicon flag) => (_lexicon & flag) != 0;

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Skips whitespace and comments; false when a comment is unterminated or executable.</summary>
    private bool SkipSpaceAndComments()
    {
        while (_position < _sql.Length)
        {
            var c = _sql[_position];
            if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else if (c == '-' && At(1) == '-' && (!Has(SqlLexicon.HashComments) || At(2) is '\0' or ' ' or '\t' or '\n' or '\r' or '\f' or '\v'))
            {
                SkipLine();
            }
            else if (c == '#' && Has(SqlLexicon.HashComments))
            {
                SkipLine();
            }
            else if (c == '/' && At(1) == '*')
            {
                if (Has(SqlLexicon.ExecutableComments) && At(2) == '!')
                {
                    // MySQL runs what /*! ... */ holds: it is not a comment, and not read past.
                    return false;
                }

                if (!SkipBlockComment())
                {
                    return false;
                }
            }
            else
            {
                break;
            }
        }

        return true;
    }

    private readonly char At(int offset) => _position + offset < _sql.Length ? _sql[_position + offset] : '\0';

    private void SkipLine()
    {
        var end = _sql[_position..].IndexOfAny('\n', '\r');
        _position = end < 0 ? _sql.Length : _position + end + 1;
    }

    private bool SkipBlockComment()
    {
        var depth = 0;
        while (_position < _sql.Length)
        {
            if (_sql[_position] == '/' && At(1) == '*')
            {
                depth = Has(SqlLexicon.NestedBlockComments) || depth == 0 ? depth + 1 : depth;
                _position += 2;
            }
            else if (_sql[_position] == '*' && At(1) == '/')
            {
                _position += 2;
                if (--depth == 0)
                {
                    return true;
                }
            }
            else
            {
                _position++;
            }
        }

        return false;
    }

    private Token Quoted(int start, char close, TokenKind kind, bool backslash)
    {
        _position = start + 1;
        while (_position < _sql.Length)
        {
            var c = _sql[_position];
            if (backslash && c == '\\')
            {
                _position += 2;
                continue;
            }

            _position++;
            if (c == close)
            {
                if (_position < _sql.Length && _sql[_position] == close && close != ']')
                {
                    // A doubled quote is the quote itself.
                    _position++;
                    continue;
                }

                return new Token(kind, _sql[start.._position]);
            }
        }

        return new Token(TokenKind.Invalid, default);
    }

    /// <summary>The length of a dollar-quote tag at the position (<c>$$</c>, <c>$body$</c>), or 0 when it is none (<c>$1</c>).</summary>
    private readonly int DollarTag()
    {
        if (_position > 0 && (IsWordChar(_sql[_position - 1]) || _sql[_position - 1] == '$'))
        {
            return 0;
        }

        var i = _position + 1;
        if (i < _sql.Length && char.IsDigit(_sql[i]))
        {
            return 0;
        }

        while (i < _sql.Length && IsWordChar(_sql[i]))
        {
            i++;
        }

        return i < _sql.Length && _sql[i] == '$' ? i - _position + 1 : 0;
    }

    private Token DollarQuoted(int start, int tagLength)
    {
        var tag = _sql.Slice(start, tagLength);
        var end = _sql[(start + tagLength)..].IndexOf(tag);
        if (end < 0)
        {
            return new Token(TokenKind.Invalid, default);
        }

        _position = start + tagLength + end + tagLength;
        return new Token(TokenKind.String, _sql[start.._position]);
    }
}

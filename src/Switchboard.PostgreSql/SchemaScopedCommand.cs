using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Npgsql;
using Switchboard.Providers;

namespace Switchboard.PostgreSql;

/// <summary>
/// An NpgsqlCommand whose statement carries the connection's schema with it, for a connection behind a pooler that
/// hands each transaction to any server session (<c>pooler: pgbouncer</c>), where a session's <c>search_path</c> set at
/// connect (or by an earlier <c>SET</c>) would not be there, or would be another client's.
/// </summary>
/// <remarks>
/// The setting goes into the statement's own transaction, in the same round trip: inside a transaction as
/// <c>SET LOCAL search_path</c>; outside one as a <c>DO</c> block calling <c>set_config(..., true)</c>, which lasts to the
/// end of the implicit transaction that ends at the batch's Sync and, unlike <c>SET LOCAL</c> there, draws no warning
/// into the server's log. Neither returns rows nor counts affected rows, so results read exactly as without it.
/// <see cref="CommandText"/> reads back as the caller wrote it (echo, tracing and messages show that). Statements that
/// may not run inside a transaction, or that end one (VACUUM, CREATE DATABASE, ROLLBACK...), are sent unchanged.
/// </remarks>
[SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "The text is the caller's statement behind a constant built from a quoted identifier.")]
internal sealed class SchemaScopedCommand : ForwardingDbCommand<NpgsqlCommand>
{
    private readonly string _inTransaction;
    private readonly string _outsideTransaction;
    private string _text = "";
    private bool _unscoped;
    private string? _sentPrefix;

    public SchemaScopedCommand(NpgsqlCommand inner, string schema)
        : base(inner)
    {
        var searchPath = PostgreSqlDialect.Quote(schema);
        _inTransaction = $"SET LOCAL search_path TO {searchPath}; ";
        var body = $"BEGIN PERFORM pg_catalog.set_config('search_path', {Literal(searchPath)}, true); END";
        _outsideTransaction = $"DO {Literal(body)}; ";
    }

    [AllowNull]
    public override string CommandText
    {
        get => _text;
        set
        {
            _text = value ?? "";
            _unscoped = PostgreSqlStatements.MustRunAlone(_text);

            // Setting the text again is how a caller drops Npgsql's preparation of it: pass that on at the next execution.
            _sentPrefix = null;
        }
    }

    public override int CommandTimeout
    {
        get => Inner.CommandTimeout;
        set => Inner.CommandTimeout = value;
    }

    public override void Cancel() => Inner.Cancel();

    public override int ExecuteNonQuery()
    {
        Scope();
        return Inner.ExecuteNonQuery();
    }

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        Scope();
        return Inner.ExecuteNonQueryAsync(cancellationToken);
    }

    public override object? ExecuteScalar()
    {
        Scope();
        return Inner.ExecuteScalar();
    }

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        Scope();
        return Inner.ExecuteScalarAsync(cancellationToken);
    }

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        Scope();
        return Inner.ExecuteReader(behavior);
    }

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        Scope();
        return await Inner.ExecuteReaderAsync(behavior, cancellationToken).ConfigureAwait(false);
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Puts the schema in front of the statement, in the form that fits whether a transaction is open.</summary>
    private void Scope()
    {
        var prefix = _unscoped ? "" : Inner.Transaction is null ? _outsideTransaction : _inTransaction;
        if (!ReferenceEquals(prefix, _sentPrefix))
        {
            Inner.CommandText = prefix + _text;
            _sentPrefix = prefix;
        }
    }
}

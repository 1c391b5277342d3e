using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Npgsql;

namespace Switchboard.Tests.Support;

/// <summary>
/// An ADO.NET provider that talks to nothing: it records every command it runs, answers queries with no rows, and
/// fills output parameters with <see cref="OutputValue"/>. It stands in for a provider we cannot ship (Oracle's).
/// </summary>
public sealed class FakeProviderFactory : DbProviderFactory
{
    public ConcurrentQueue<Executed> Commands { get; } = new();

    public ConcurrentQueue<string> ConnectionStrings { get; } = new();

    /// <summary>
    /// The catalog it answers Oracle's column query (<c>ALL_TAB_COLUMNS</c>) from: rows of (table, column, type,
    /// nullable Y/N), filtered by the query's table parameters as the server would. Null: no rows, as for a missing table.
    /// </summary>
    public IReadOnlyList<(string Table, string Column, string Type, string Nullable)>? Catalog { get; set; }

    /// <summary>What an output parameter holds after a command ran.</summary>
    public object? OutputValue { get; set; } = 42L;

    public override DbConnection CreateConnection() => new FakeConnection(this);

    public override DbCommand CreateCommand() => new FakeCommand(this);

    public override DbParameter CreateParameter() => new NpgsqlParameter();

    /// <summary>A command as it was run: its text, parameters (name, direction, value) and whether it bound by name.</summary>
    public sealed record Executed(string Text, IReadOnlyList<(string Name, ParameterDirection Direction, object? Value)> Parameters, bool BindByName);

    private sealed class FakeConnection(FakeProviderFactory factory) : DbConnection
    {
        private ConnectionState _state = ConnectionState.Closed;

        [AllowNull]
        public override string ConnectionString { get; set; } = "";

        public override string Database => "";

        public override string DataSource => "fake";

        public override string ServerVersion => "0";

        public override ConnectionState State => _state;

        public override void ChangeDatabase(string databaseName)
        {
        }

        public override void Close() => _state = ConnectionState.Closed;

        public override void Open()
        {
            factory.ConnectionStrings.Enqueue(ConnectionString);
            _state = ConnectionState.Open;
        }

        /// <summary>A transaction that records its COMMIT or ROLLBACK as a command.</summary>
        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new FakeTransaction(factory, this, isolationLevel);

        protected override DbCommand CreateDbCommand() => new FakeCommand(factory) { Connection = this };
    }

    private sealed class FakeTransaction(FakeProviderFactory factory, DbConnection connection, IsolationLevel isolationLevel) : DbTransaction
    {
        public override IsolationLevel IsolationLevel => isolationLevel;

        protected override DbConnection DbConnection => connection;

        public override void Commit() => factory.Commands.Enqueue(new Executed("COMMIT", [], BindByName: false));

        public override void Rollback() => factory.Commands.Enqueue(new Executed("ROLLBACK", [], BindByName: false));
    }

    private sealed class FakeCommand(FakeProviderFactory factory) : DbCommand
    {
        // Npgsql's collection is a complete, public DbParameterCollection; nothing is sent to a server through it.
        private readonly NpgsqlParameterCollection _parameters = new NpgsqlCommand().Parameters;

        /// <summary>As ODP.NET's OracleCommand has it: false binds by position.</summary>
        public bool BindByName { get; set; }

        [AllowNull]
        public override string CommandText { get; set; } = "";

        public override int CommandTimeout { get; set; }

        public override CommandType CommandType { get; set; }

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection { get; set; }

        protected override DbParameterCollection DbParameterCollection => _parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel()
        {
        }

        public override int ExecuteNonQuery()
        {
            Record();
            return 1;
        }

        public override object? ExecuteScalar()
        {
            Record();
            return null;
        }

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => new NpgsqlParameter();

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
        {
            Record();
            var table = new DataTable();
            if (factory.Catalog is { } catalog && CommandText.Contains("ALL_TAB_COLUMNS", StringComparison.Ordinal))
            {
                var name = (string)_parameters["tname"].Value!;
                var key = (string)_parameters["tkey"].Value!;
                foreach (var column in new[] { "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE", "NULLABLE" })
                {
                    table.Columns.Add(column, typeof(string));
                }

                foreach (var row in catalog.Where(r => r.Table == name || Dialects.CatalogQuery.NameKey(r.Table) == key))
                {
                    table.Rows.Add(row.Table, row.Column, row.Type, row.Nullable);
                }
            }

            return table.CreateDataReader();
        }

        private void Record()
        {
            foreach (DbParameter parameter in _parameters)
            {
                if (parameter.Direction != ParameterDirection.Input)
                {
                    parameter.Value = factory.OutputValue;
                }
            }

            factory.Commands.Enqueue(new Executed(
                CommandText,
                [.. _parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Direction, p.Value))],
                BindByName));
        }
    }
}

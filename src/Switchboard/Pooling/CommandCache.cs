using System.Data.Common;

namespace Switchboard.Pooling;

/// <summary>
/// The commands of one physical connection, kept by SQL text so that a statement used again is not parsed and
/// prepared again (SQLite keeps its compiled statement with the command). Used by one holder at a time, as the
/// connection itself is.
/// </summary>
internal sealed class CommandCache(DbConnection connection, Dialects.DriverDataSource source)
{
    /// <summary>Enough for an application's hot statements; raw SQL built with varying text must not grow it without bound.</summary>
    private const int Capacity = 128;

    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private string? _lastSql;
    private DbCommand? _lastCommand;

    public DbCommand Get(string sql)
    {
        // Generated SQL is one string instance per statement shape: the same reference means the same command, unhashed.
        if (ReferenceEquals(sql, _lastSql))
        {
            return _lastCommand!;
        }

        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Add(sql);
        }

        (_lastSql, _lastCommand) = (sql, command);
        return command;
    }

    public void Clear()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        (_lastSql, _lastCommand) = (null, null);
    }

    private DbCommand Add(string sql)
    {
        if (_commands.Count >= Capacity)
        {
            Clear();
        }

        var command = source.CreateCommand(connection);
        command.CommandText = sql;
        _commands.Add(sql, command);
        return command;
    }
}

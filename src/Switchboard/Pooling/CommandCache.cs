using System.Data.Common;

namespace Switchboard.Pooling;

/// <summary>
/// The commands of one physical connection, kept by SQL text so that a statement used again is not parsed and
/// prepared again (SQLite keeps its compiled statement with the command). Used by one holder at a time, as the
/// connection itself is.
/// </summary>
internal sealed class CommandCache(DbConnection connection)
{
    /// <summary>Enough for an application's hot statements; raw SQL built with varying text must not grow it without bound.</summary>
    private const int Capacity = 128;

    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    public DbCommand Get(string sql)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            return command;
        }

        if (_commands.Count >= Capacity)
        {
            Clear();
        }

        command = connection.CreateCommand();
        command.CommandText = sql;
        _commands.Add(sql, command);
        return command;
    }

    public void Clear()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}

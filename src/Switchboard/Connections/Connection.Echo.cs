using System.Data.Common;
using System.Diagnostics;
using Switchboard.Diagnostics;

namespace Switchboard;

/// <summary>Echo (<c>echo: true</c>): each statement written to the <c>Switchboard.Sql</c> logger or standard error, never a password.</summary>
public sealed partial class Connection
{
    private void EchoStatement(DbCommand command, long started, bool failed)
    {
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        // A statement that sets a password (ALTER USER ... PASSWORD) must not log the connection's own.
        var sql = Pool.Scrub(command.CommandText);
        var parameters = command.Parameters.Count > 0 && _config.EchoParameters ? Pool.Scrub(ParameterBinder.Describe(command, withValues: true)) : null;
        if (_echoLogger is not null)
        {
            if (failed)
            {
                Log.StatementFailed(_echoLogger, Name, elapsed, sql);
            }
            else if (parameters is not null)
            {
                Log.StatementWithParameters(_echoLogger, Name, elapsed, sql, parameters);
            }
            else
            {
                Log.Statement(_echoLogger, Name, elapsed, sql);
            }

            return;
        }

        Console.Error.WriteLine($"[switchboard] [{Name}] ({elapsed:0.###} ms) {(failed ? "FAILED " : "")}{sql}{(parameters is null ? "" : $" [{parameters}]")}");
    }

    private static string Shorten(string sql) => sql.Length <= 300 ? sql : sql[..300] + " ...";
}

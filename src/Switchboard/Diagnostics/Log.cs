using Microsoft.Extensions.Logging;

namespace Switchboard.Diagnostics;

/// <summary>Every log message Switchboard writes, source-generated. Event ids: 1xxx pool, 2xxx SQL, 3xxx transactions.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Warning, "A connection event handler for {Kind} of connection {ConnectionId} on '{ConnectionName}' threw; the pool carried on.")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception, ConnectionEventKind kind, long connectionId, string connectionName);

    [LoggerMessage(1002, LogLevel.Warning, "Connection {ConnectionId} of '{ConnectionName}' was given back twice; the second return was ignored.")]
    public static partial void DoubleReturn(ILogger logger, long connectionId, string connectionName);

    [LoggerMessage(1003, LogLevel.Warning, "Rolling back the open transaction of connection {ConnectionId} on '{ConnectionName}' failed; the connection was discarded.")]
    public static partial void ResetFailed(ILogger logger, Exception exception, long connectionId, string connectionName);

    [LoggerMessage(1004, LogLevel.Debug, "Closing connection {ConnectionId} of '{ConnectionName}' failed.")]
    public static partial void CloseFailed(ILogger logger, Exception exception, long connectionId, string connectionName);

    [LoggerMessage(1005, LogLevel.Warning, "Connection {ConnectionId} of '{ConnectionName}' has been held for {HeldSeconds:0.###} s, longer than leak_detection_threshold; it was taken at:{NewLine}{Stack}")]
    public static partial void ConnectionLeak(ILogger logger, long connectionId, string connectionName, double heldSeconds, string newLine, string stack);

    [LoggerMessage(1006, LogLevel.Information, "Connection {ConnectionId} of '{ConnectionName}', reported as possibly leaked, was given back after {HeldSeconds:0.###} s.")]
    public static partial void LeakedConnectionReturned(ILogger logger, long connectionId, string connectionName, double heldSeconds);

    [LoggerMessage(1007, LogLevel.Warning, "Opening a connection for '{ConnectionName}' in the background (min_idle) failed; the pool tries again at its next maintenance.")]
    public static partial void FillFailed(ILogger logger, Exception exception, string connectionName);

    [LoggerMessage(1008, LogLevel.Warning, "Pool '{ConnectionName}' was disposed with {InUse} connections still in use after its grace period; they were closed.")]
    public static partial void ForcedClose(ILogger logger, string connectionName, int inUse);

    [LoggerMessage(1009, LogLevel.Information, "Connection {ConnectionId} of '{ConnectionName}' was lost; it and {Older} older idle connections were discarded.")]
    public static partial void Invalidated(ILogger logger, long connectionId, string connectionName, int older);

    [LoggerMessage(1010, LogLevel.Information, "Retrying work on '{ConnectionName}' in {DelayMilliseconds:0.###} ms: attempt {Attempt} failed ({Reason}).")]
    public static partial void Retrying(ILogger logger, Exception exception, string connectionName, double delayMilliseconds, int attempt, string reason);

    [LoggerMessage(1011, LogLevel.Debug, "Connection {ConnectionId} of '{ConnectionName}' was closed ({Reason}).")]
    public static partial void ConnectionClosed(ILogger logger, long connectionId, string connectionName, ConnectionCloseReason reason);

    [LoggerMessage(1050, LogLevel.Warning, "Evicting idle pools failed; the registry tries again at its next sweep.")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(2001, LogLevel.Information, "[{ConnectionName}] ({ElapsedMilliseconds:0.###} ms) {Sql}")]
    public static partial void Statement(ILogger logger, string connectionName, double elapsedMilliseconds, string sql);

    [LoggerMessage(2002, LogLevel.Information, "[{ConnectionName}] ({ElapsedMilliseconds:0.###} ms) {Sql} [{Parameters}]")]
    public static partial void StatementWithParameters(ILogger logger, string connectionName, double elapsedMilliseconds, string sql, string parameters);

    [LoggerMessage(2003, LogLevel.Information, "[{ConnectionName}] ({ElapsedMilliseconds:0.###} ms) FAILED {Sql}")]
    public static partial void StatementFailed(ILogger logger, string connectionName, double elapsedMilliseconds, string sql);
}

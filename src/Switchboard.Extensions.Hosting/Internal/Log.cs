using Microsoft.Extensions.Logging;

namespace Switchboard.Extensions.Hosting.Internal;

/// <summary>The hosting package's log messages (event ids 5001–5099), category <c>Switchboard.Hosting</c>.</summary>
internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Information, "Configuration changed: connection '{ConnectionName}' was re-configured; its old pool drains as its connections come back.")]
    public static partial void Reconfigured(ILogger logger, string connectionName);

    [LoggerMessage(5002, LogLevel.Information, "Configuration changed: connection '{ConnectionName}' was added.")]
    public static partial void Added(ILogger logger, string connectionName);

    [LoggerMessage(5003, LogLevel.Information, "Configuration changed: connection '{ConnectionName}' was removed; its pool drains as its connections come back.")]
    public static partial void Removed(ILogger logger, string connectionName);

    [LoggerMessage(5004, LogLevel.Error, "Configuration changed, but connection '{ConnectionName}' was left as it was: {Reason}")]
    public static partial void ReloadRejected(ILogger logger, string connectionName, string reason);

    [LoggerMessage(5005, LogLevel.Warning, "Stopping: connections of '{ConnectionName}' were still in use after the shutdown grace period of {GraceSeconds} s and were closed under their holders.")]
    public static partial void ShutdownNotGraceful(ILogger logger, string connectionName, double graceSeconds);

    [LoggerMessage(5006, LogLevel.Error, "Reloading the Switchboard configuration failed; the connections were left as they were.")]
    public static partial void ReloadFailed(ILogger logger, Exception exception);
}

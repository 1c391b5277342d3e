using System.Net.Sockets;
using System.Runtime.CompilerServices;
using MySqlConnector;

namespace Switchboard.MySql;

/// <summary>
/// The socket under an open <see cref="MySqlConnection"/>, which MySqlConnector does not expose: Switchboard shuts it down
/// to end a sync call blocked in a read (a COMMIT or ROLLBACK to a stopped server), which MySqlConnector's close from
/// another thread does not end.
/// </summary>
/// <remarks>
/// Read through <see cref="UnsafeAccessorAttribute"/> and <see cref="UnsafeAccessorTypeAttribute"/> (no reflection at run
/// time, trim- and AOT-safe) from <c>MySqlConnection.Session</c> and <c>ServerSession.m_socket</c>, both unchanged
/// since MySqlConnector 1.0. Should a later MySqlConnector rename either, <see cref="Of"/> returns null and Switchboard falls
/// back to MySqlConnector's close, whose only cost is a looser bound (a sync call against a stopped server hears when
/// MySqlConnector's own timer gives up, two seconds after the deadline); <c>MySqlAbortTests</c> fails on such an upgrade,
/// so the fallback is never reached unnoticed. A connection over a Unix-domain socket or a named pipe has no TCP socket
/// here either: <see cref="Of"/> returns the Unix socket, or null for a pipe.
/// </remarks>
internal static class MySqlSocket
{
    private const string ServerSessionType = "MySqlConnector.Core.ServerSession, MySqlConnector";

    /// <summary>The open connection's socket; null when it has none (closed, a named pipe) or MySqlConnector's internals changed.</summary>
    public static Socket? Of(MySqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            return connection.State == System.Data.ConnectionState.Open ? SocketOf(SessionOf(connection)) : null;
        }
        catch (Exception exception) when (exception is MissingMemberException or TypeLoadException or InvalidOperationException)
        {
            // Renamed internals, or a connection closed or disposed under us (ObjectDisposedException is an InvalidOperationException).
            return null;
        }
    }

    /// <summary>
    /// Shuts the connection's socket down in both directions, which ends a read or write blocked in it on another thread
    /// (with end of stream or an error) without waiting for anything; false when there was no socket to shut.
    /// </summary>
    public static bool ShutDown(MySqlConnection connection)
    {
        if (Of(connection) is not { } socket)
        {
            return false;
        }

        try
        {
            socket.Shutdown(SocketShutdown.Both);
            return true;
        }
        catch (Exception exception) when (exception is ObjectDisposedException or SocketException)
        {
            // Already closed under us: whatever was blocked in it has returned.
            return false;
        }
    }

    /// <summary>MySqlConnector's internal <c>Session</c>, which throws <see cref="InvalidOperationException"/> unless the connection is open.</summary>
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Session")]
    [return: UnsafeAccessorType(ServerSessionType)]
    private static extern object SessionOf(MySqlConnection connection);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "m_socket")]
    private static extern ref Socket? SocketOf([UnsafeAccessorType(ServerSessionType)] object session);
}

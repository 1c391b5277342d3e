using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Npgsql;
using Npgsql.Internal;

namespace Switchboard.PostgreSql;

/// <summary>
/// The socket under an open <see cref="NpgsqlConnection"/>, which Npgsql does not expose: Switchboard shuts it down to end
/// a sync call blocked in a read when the server is stopped, and asks its peer whether the postmaster still answers.
/// </summary>
/// <remarks>
/// Read through <see cref="UnsafeAccessorAttribute"/> (no reflection at run time, trim- and AOT-safe) from
/// <c>NpgsqlConnection.Connector</c> and <c>NpgsqlConnector._socket</c>, both unchanged from Npgsql 6 to 10. Should a later
/// Npgsql rename either, <see cref="Of"/> returns null and Switchboard falls back to Npgsql's own cancel and close, whose
/// only cost is the old bound (a sync statement against a stopped postmaster hears within <c>connect_timeout</c> more);
/// <c>PostgreSqlAbortTests</c> fails on such an upgrade, so the fallback is never reached unnoticed.
/// </remarks>
internal static class NpgsqlSocket
{
    /// <summary>The open connection's socket; null when it has none (closed, broken) or Npgsql's internals changed.</summary>
    public static Socket? Of(NpgsqlConnection connection)
    {
        try
        {
            return ConnectorOf(connection) is { } connector ? SocketOf(connector) : null;
        }
        catch (MissingMemberException)
        {
            return null;
        }
    }

    /// <summary>Where the connection's socket is connected (an IP endpoint, or a Unix-domain socket's path); null when unknown.</summary>
    public static System.Net.EndPoint? PeerOf(NpgsqlConnection connection)
    {
        try
        {
            return Of(connection)?.RemoteEndPoint;
        }
        catch (Exception exception) when (exception is ObjectDisposedException or SocketException)
        {
            return null;
        }
    }

    /// <summary>
    /// Shuts the connection's socket down in both directions, which ends a read or write blocked in it on another thread
    /// (with end of stream or an error) without waiting for anything; false when there was no socket to shut.
    /// </summary>
    public static bool ShutDown(NpgsqlConnection connection)
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

    // NpgsqlConnector is public but marked experimental; only its identity is used here, never its API.
#pragma warning disable NPG9001
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Connector")]
    private static extern NpgsqlConnector? ConnectorOf(NpgsqlConnection connection);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_socket")]
    private static extern ref Socket? SocketOf(NpgsqlConnector connector);
#pragma warning restore NPG9001
}

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.PostgreSql;

/// <summary>
/// Asks a PostgreSQL server (or a pooler in front of it) whether it answers at all, before a cancel request is sent to it:
/// a connection that sends an SSLRequest is answered with one byte (<c>S</c> or <c>N</c>) within milliseconds by any live
/// postmaster, which forks a process for it first. A stopped one lets the kernel accept the connection and never answers.
/// </summary>
/// <remarks>
/// Nothing secret is sent: an SSLRequest is eight fixed bytes, and the connection is closed after the answer, before any
/// startup message. The server sees a client that went away during the handshake.
/// </remarks>
internal static class PostmasterProbe
{
    /// <summary>How long a live server has to answer. Generous: a loaded server still forks and answers in milliseconds.</summary>
    public static readonly TimeSpan AnswerTime = TimeSpan.FromMilliseconds(500);

    /// <summary>The SSLRequest code of the PostgreSQL protocol (1234 in the high 16 bits, 5679 in the low).</summary>
    private const int SslRequestCode = 80877103;

    /// <summary>Whether the server at <paramref name="endpoint"/> answers an SSLRequest within <paramref name="within"/>; blocks until it knows.</summary>
    public static bool Answers(EndPoint endpoint, TimeSpan within) =>
        AnswersAsync(endpoint, within).AsTask().GetAwaiter().GetResult();

    private static async ValueTask<bool> AnswersAsync(EndPoint endpoint, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var protocol = endpoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp;
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, protocol);
        var request = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(request, request.Length);
        BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(4), SslRequestCode);
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            await socket.SendAsync(request, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var answer = new byte[1];
            return await socket.ReceiveAsync(answer, SocketFlags.None, timeout.Token).ConfigureAwait(false) == 1;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }
}

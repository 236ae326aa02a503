using System.IO.Pipelines;
using System.Net;

namespace Streamer.Transport;

/// <summary>
/// One connection between two peers, as the application sees it: a duplex pipe of bytes (what the peer sent on
/// <see cref="IDuplexPipe.Input"/>, what to send on <see cref="IDuplexPipe.Output"/>), the two end points, an abort
/// and a graceful disposal. Sockets, the in-memory pair and wrappers (TLS, a lossy link in tests) all implement it,
/// so framing and the applications never know which transport carries them (Kestrel's <c>ConnectionContext</c>).
/// </summary>
/// <remarks>
/// A connection handed out by an <see cref="IConnectionListener"/> or an <see cref="IConnectionFactory"/> is already
/// running. Bytes the peer sent before it reset are all readable before the reset is raised from
/// <see cref="IDuplexPipe.Input"/> (as a <see cref="ConnectionResetException"/>), so an error frame sent just before a
/// close is never lost.
/// </remarks>
public interface IConnection : IDuplexPipe, IAsyncDisposable
{
    /// <summary>The peer's address, or null when the transport has none (or the peer already reset).</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>This end's address, or null when the transport has none.</summary>
    EndPoint? LocalEndPoint { get; }

    /// <summary>
    /// Ends the connection at once, without sending what is still queued: pending reads end, later flushes report
    /// completion, and the peer sees a reset. Safe to call from any thread, more than once, and before or after
    /// <see cref="IAsyncDisposable.DisposeAsync"/>.
    /// </summary>
    void Abort();
}

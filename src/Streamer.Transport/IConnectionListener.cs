using System.Net;

namespace Streamer.Transport;

/// <summary>
/// Accepts incoming connections on one bound end point (Kestrel's <c>IConnectionListener</c>). A listener is bound
/// when it is created, so an address in use fails there and not at the first accept. Disposing it stops accepting.
/// </summary>
public interface IConnectionListener : IAsyncDisposable
{
    /// <summary>The end point actually bound (with the port the system chose when asked for port 0).</summary>
    EndPoint EndPoint { get; }

    /// <summary>
    /// Waits for the next connection and returns it running, or null once the listener is disposed or
    /// <paramref name="cancellationToken"/> is cancelled. A failure that concerns the listener itself (out of file
    /// descriptors, for sockets) is thrown, so the caller can back off and call again.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; the call then returns null.</param>
    ValueTask<IConnection?> AcceptAsync(CancellationToken cancellationToken = default);
}

using System.Net;

namespace Streamer.Transport;

/// <summary>Makes outgoing connections (Kestrel's <c>IConnectionFactory</c>): a client's one way to reach a server.</summary>
public interface IConnectionFactory
{
    /// <summary>
    /// Connects to <paramref name="endPoint"/> and returns the connection running. A failure to connect is thrown
    /// (for sockets a <see cref="System.Net.Sockets.SocketException"/> whose code says why, timeouts included).
    /// </summary>
    /// <param name="endPoint">Where to connect: for sockets an <see cref="IPEndPoint"/> or a <see cref="DnsEndPoint"/>.</param>
    /// <param name="cancellationToken">Abandons the attempt.</param>
    ValueTask<IConnection> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken = default);
}

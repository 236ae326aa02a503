using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Streamer.Transport.Sockets;

/// <summary>A listening TCP socket handing out running <see cref="SocketConnection"/>s (asynchronous I/O: a server).</summary>
public sealed class SocketListener : IConnectionListener
{
    private readonly Socket _listener;
    private readonly SocketConnectionOptions _options;
    private readonly ILogger _logger;

    /// <summary>Binds at once, so a port in use fails here with a <see cref="SocketException"/>.
    /// "*" or "::" listens on all addresses, IPv4 and IPv6.</summary>
    public SocketListener(string host, int port, int backlog, SocketConnectionOptions options, ILogger logger)
    {
        _listener = TcpListenerFactory.Listen(host, port, backlog);
        _options = options;
        _logger = logger;
        EndPoint = _listener.LocalEndPoint!;
    }

    /// <inheritdoc/>
    public EndPoint EndPoint { get; }

    /// <remarks>Throws the <see cref="SocketException"/> of a failed accept (a peer's own failure such as a reset, or
    /// running out of descriptors). A socket the peer reset before it could be set up is skipped here: it is no
    /// failure of the listener, and the caller would take it for one (and back off).</remarks>
    public async ValueTask<IConnection?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return null;
            }

            SocketConnection connection;
            try
            {
                connection = SocketConnection.Create(socket, _options, _logger);
            }
            catch (SocketException ex)
            {
                // The peer reset before we could set the socket up: nothing to serve.
                TransportLog.SetupFailed(_logger, ex.SocketErrorCode);
                socket.Dispose();
                continue;
            }

            connection.Start();
            return connection;
        }
    }

    /// <summary>Stops listening; connections already handed out are not touched.</summary>
    public ValueTask DisposeAsync()
    {
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }
}

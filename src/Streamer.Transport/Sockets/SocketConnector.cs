using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Streamer.Transport.Sockets;

/// <summary>
/// Connects TCP sockets (resolving names, trying each address) and hands out running connections in the mode
/// <see cref="SocketConnectionOptions.BlockingIo"/> asks for; a blocking connection is also connected with a blocking
/// call (see <see cref="TcpConnector"/>).
/// </summary>
public sealed class SocketConnector(SocketConnectionOptions options, TimeSpan connectTimeout, ILogger logger) : IConnectionFactory
{
    /// <inheritdoc/>
    /// <remarks>Accepts a <see cref="DnsEndPoint"/> or an <see cref="IPEndPoint"/>; connect failures are <see cref="SocketException"/>s.</remarks>
    public async ValueTask<IConnection> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken = default)
    {
        var (host, port) = endPoint switch
        {
            DnsEndPoint dns => (dns.Host, dns.Port),
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            _ => throw new ArgumentException($"a socket connects to an IP or DNS end point, not {endPoint.GetType().Name}", nameof(endPoint)),
        };
        var socket = await TcpConnector.ConnectAsync(host, port, connectTimeout, cancellationToken, blocking: options.BlockingIo);
        return Wrap(socket, options, logger);
    }

    /// <summary>A running connection over a socket connected elsewhere (the probe times its own connects).</summary>
    public static IConnection Wrap(Socket socket, SocketConnectionOptions options, ILogger logger)
    {
        var connection = SocketConnection.Create(socket, options, logger);
        connection.Start();
        return connection;
    }
}

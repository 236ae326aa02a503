using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Streamer.Transport.Kestrel;

/// <summary>
/// Listens through Kestrel's socket transport (<c>SocketTransportFactory</c>), the transport under ASP.NET Core's
/// server, and hands its connections out behind Streamer's <see cref="IConnectionListener"/> contract, so any Streamer
/// server runs on it unchanged (<c>streamer serve --transport kestrel</c>).
/// </summary>
public static class KestrelTransport
{
    /// <summary>
    /// Binds at once, so a port in use fails here with a <see cref="SocketException"/> (as the socket transport's
    /// listener does). "*", "::" or "" listens on every address, IPv4 and IPv6; "localhost" on 127.0.0.1.
    /// </summary>
    /// <param name="host">An address, a host name, or "*".</param>
    /// <param name="port">The TCP port; 0 lets the system choose (see <see cref="IConnectionListener.EndPoint"/>).</param>
    /// <param name="options">Bounds and scheduling for the accepted connections.</param>
    /// <param name="loggers">Where Kestrel's transport and this adapter log.</param>
    /// <returns>The bound listener; disposing it stops accepting.</returns>
    public static IConnectionListener Listen(string host, int port, KestrelListenerOptions options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var endPoint = new IPEndPoint(Resolve(host), port);
        var factory = new SocketTransportFactory(Microsoft.Extensions.Options.Options.Create(TransportOptions(options)), loggers);
        try
        {
            // Kestrel's bind is synchronous underneath (the ValueTask is already complete): bind, then listen.
            var listener = factory.BindAsync(endPoint).AsTask().GetAwaiter().GetResult();
            return new KestrelConnectionListener(listener, loggers.CreateLogger("Streamer.Transport.Kestrel"));
        }
        catch (AddressInUseException ex) when (ex.InnerException is SocketException socketError)
        {
            // Callers report a bind failure from its socket error code, whichever transport failed.
            ExceptionDispatchInfo.Capture(socketError).Throw();
            throw;
        }
    }

    private static SocketTransportOptions TransportOptions(KestrelListenerOptions options)
    {
        var transport = new SocketTransportOptions
        {
            Backlog = options.Backlog,
            MaxReadBufferSize = options.MaxInputBufferBytes,
            MaxWriteBufferSize = options.MaxOutputBufferBytes,
            NoDelay = true,
            UnsafePreferInlineScheduling = !options.SendInParallel,
        };
        if (options.SendBufferBytes is { } sendBuffer)
        {
            transport.CreateBoundListenSocket = endPoint =>
            {
                var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endPoint);
                socket.SendBufferSize = sendBuffer;
                return socket;
            };
        }

        return transport;
    }

    /// <summary>The same addresses the socket transport's listener binds for the same host text.</summary>
    private static IPAddress Resolve(string host)
    {
        if (host is "*" or "::" or "")
        {
            return IPAddress.IPv6Any;
        }

        if (host == "localhost")
        {
            return IPAddress.Loopback;
        }

        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        var resolved = Dns.GetHostAddresses(host);
        return resolved.Length > 0 ? resolved[0] : throw new SocketException((int)SocketError.HostNotFound);
    }
}

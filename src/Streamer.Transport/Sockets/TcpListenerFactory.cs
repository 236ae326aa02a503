using System.Net;
using System.Net.Sockets;

namespace Streamer.Transport.Sockets;

/// <summary>Binds a listening socket; "*" or "::" listens on all addresses, IPv4 and IPv6.</summary>
internal static class TcpListenerFactory
{
    public static Socket Listen(string host, int port, int backlog = 128)
    {
        IPAddress address;
        if (host is "*" or "::" or "")
        {
            address = IPAddress.IPv6Any;
        }
        else if (host == "localhost")
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out address!))
        {
            var resolved = Dns.GetHostAddresses(host);
            address = resolved.Length > 0 ? resolved[0] : throw new SocketException((int)SocketError.HostNotFound);
        }

        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace Streamer.Tests.Probe;

internal static class LoopbackPorts
{
    /// <summary>A listening socket on loopback that never accepts: connects complete in the kernel.</summary>
    public static Socket Listen(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        socket.Listen(16);
        return socket;
    }

    public static int PortOf(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    /// <summary>A loopback port nobody listens on: bound then released (nothing else here binds ephemeral ports to listen).</summary>
    public static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return PortOf(socket);
    }
}

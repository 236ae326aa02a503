using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MessagePack;
using Streamer.Protocol;

namespace Streamer.Tests.Chat;

/// <summary>A hand-driven socket that writes exactly the bytes a test wants: hellos, chat frames, garbage.</summary>
internal sealed class RawChatPeer : IDisposable
{
    private RawChatPeer(Socket socket)
    {
        Socket = socket;
    }

    public Socket Socket { get; }

    /// <summary>Connects; a small receive buffer makes a peer that never reads fill up quickly.</summary>
    public static async Task<RawChatPeer> ConnectAsync(int port, int receiveBufferSize = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBufferSize > 0)
        {
            socket.ReceiveBufferSize = receiveBufferSize;
        }

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new RawChatPeer(socket);
    }

    public static byte[] Frame(IControlMessage message) => Streamer.Tests.Support.RawPeer.Frame(message);

    public Task SendAsync(byte[] bytes) => Socket.SendAsync(bytes, SocketFlags.None);

    public Task HelloAsync(string role, string? name)
        => SendAsync(Frame(new HelloMessage(ProtocolVersion.Current, role, "test", [], name)));

    public void Dispose() => Socket.Dispose();
}

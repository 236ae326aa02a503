using System.Buffers;
using System.Net;
using Streamer.Chat;
using Streamer.Protocol;
using Streamer.Tests.Chat;
using Streamer.Tests.Support;

namespace Streamer.Tests.Protocol.Hosting;

/// <summary>
/// The shared accept loop's limits, through the chat server (the audio server runs the same host; the CLI tests
/// cover it end to end). Only generous deadlines here: they guard against hangs, never measure.
/// </summary>
public class ConnectionHostTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Connections_still_in_their_hello_never_take_a_session_slot()
    {
        await using var room = new ChatRoomHost(new ChatServerOptions { MaxClients = 2 });
        using var attack = new HostileSockets();
        await attack.OpenManyAsync(room.Port, 40, i => HostileSockets.OtherHost(i, 8));
        await attack.OpenManyAsync(room.Port, 40, i => HostileSockets.OtherHost(i, 8), HostileSockets.HalfHello);

        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
        await using var bob = await ChatPeer.JoinAsync(room.Port, "bob");

        Assert.Contains("* you joined as bob; 1 here: alice", bob.Lines);
        Assert.Equal(2, room.Server.Participants);
    }

    [Fact]
    public async Task A_full_pending_pool_closes_its_oldest_connection_to_make_room()
    {
        var options = new ChatServerOptions();
        options.Limits.MaxPendingConnections = 4;
        await using var room = new ChatRoomHost(options);
        using var attack = new HostileSockets();
        var oldest = await attack.OpenAsync(room.Port, HostileSockets.OtherHost(0, 8));
        var others = new List<System.Net.Sockets.Socket>();
        for (int i = 1; i < 4; i++)
        {
            others.Add(await attack.OpenAsync(room.Port, HostileSockets.OtherHost(i, 8)));
        }

        // The server must have taken all four before the next arrives, or it may evict another one.
        await WaitForPendingAsync(room.Server, 4);

        var newest = await attack.OpenAsync(room.Port, HostileSockets.OtherHost(4, 8));

        Assert.True(await HostileSockets.ClosedByServerAsync(oldest, Generous), "the oldest pending connection was not closed");
        Assert.True(HostileSockets.StillOpen(newest), "the newest pending connection was closed instead of the oldest");
        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
    }

    [Fact]
    public async Task One_address_cannot_fill_the_pending_pool()
    {
        var options = new ChatServerOptions();
        options.Limits.MaxPendingPerAddress = 3;
        await using var room = new ChatRoomHost(options);
        using var attack = new HostileSockets();
        var attacker = IPAddress.Parse("127.0.0.2");
        var bystander = await attack.OpenAsync(room.Port, IPAddress.Parse("127.0.0.3"));
        var oldest = await attack.OpenAsync(room.Port, attacker);
        for (int i = 0; i < 2; i++)
        {
            await attack.OpenAsync(room.Port, attacker);
        }

        // The server must have taken all four before the next arrives, or it may evict another one.
        await WaitForPendingAsync(room.Server, 4);

        var newest = await attack.OpenAsync(room.Port, attacker);

        Assert.True(await HostileSockets.ClosedByServerAsync(oldest, Generous), "the address's oldest pending connection was not closed");
        Assert.True(HostileSockets.StillOpen(newest));
        Assert.True(HostileSockets.StillOpen(bystander), "another address's connection was closed for the attacker's");
    }

    [Fact]
    public async Task A_connection_that_sends_no_hello_is_closed_at_the_handshake_deadline()
    {
        await using var room = new ChatRoomHost(new ChatServerOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        using var attack = new HostileSockets();
        var idle = await attack.OpenAsync(room.Port, IPAddress.Loopback);
        var half = await attack.OpenAsync(room.Port, IPAddress.Loopback, HostileSockets.HalfHello);

        Assert.True(await HostileSockets.ClosedByServerAsync(idle, Generous));
        Assert.True(await HostileSockets.ClosedByServerAsync(half, Generous));
    }

    private static async Task WaitForPendingAsync(ChatServer server, int count)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (server.PendingConnections != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{server.PendingConnections} connections pending, not {count}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Server_full_replaces_the_hello_and_arrives_every_time()
    {
        await using var room = new ChatRoomHost(new ChatServerOptions { MaxClients = 1 });
        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
        for (int attempt = 0; attempt < 50; attempt++)
        {
            using var peer = await RawPeer.ConnectAsync(room.Port);
            await peer.SendAsync(RawChatPeer.Frame(new HelloMessage(ProtocolVersion.Current, "chat", "test", [], "bob")));
            var frames = RawPeer.Frames(await peer.ReadToEndAsync(Generous));

            var only = Assert.Single(frames);
            Assert.Equal(FrameKind.Error, only.Header.Kind);
            var error = ErrorMessage.Read(new ReadOnlySequence<byte>(only.Payload));
            Assert.Equal("server-full", error.Code);
        }
    }
}

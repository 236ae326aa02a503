using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Streamer.Chat;
using Streamer.Protocol;
using Streamer.Tests.Protocol.Hosting;
using Streamer.Tests.Support;

namespace Streamer.Tests.Chat;

/// <summary>
/// A participant whose receive loop dies on a frame it cannot read must leave the room: announced, its name freed.
/// The frame: a 10-byte body whose header skips a str32 claiming about 4 GB.
/// </summary>
public class ChatGhostTests
{
    private static readonly byte[] LyingFrame = [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x95, 0x01, 0x00, 0x00, 0x00, 0xdb, 0xff, 0xff, 0xff, 0xff];

    [Fact]
    public async Task A_participant_whose_loop_fails_leaves_the_room_and_frees_its_name()
    {
        await using var room = new ChatRoomHost();
        await using var bob = await ChatPeer.JoinAsync(room.Port, "bob");
        using (var ghost = await RawChatPeer.ConnectAsync(room.Port))
        {
            await ghost.HelloAsync("chat", "alice");
            await bob.WaitForAsync("* alice joined");
            await ghost.SendAsync(LyingFrame);
            await bob.WaitForAsync(l => l.StartsWith("* alice left", StringComparison.Ordinal));
        }

        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
        Assert.Contains("* you joined as alice; 1 here: bob", alice.Lines);
    }

    [Fact]
    public async Task A_welcome_in_a_crowded_room_lists_some_names_and_counts_the_rest()
    {
        // Names of 32 characters: 300 members would list ~10 KiB of names and break the newcomer's 16 KiB frame
        // limit well before the thousands a real room may hold.
        await using var room = new ChatRoomHost(new ChatServerOptions { MaxClients = 400, OutboxCapacity = 1024 });
        using var crowd = new HostileSockets();
        try
        {
            for (int i = 0; i < 300; i++)
            {
                // From 100 addresses: 300 hellos from one address in a burst would meet the per-address limit.
                string name = "member-" + i.ToString("D3", CultureInfo.InvariantCulture) + new string('x', 21);
                await crowd.OpenAsync(room.Port, HostileSockets.OtherHost(i, 100), RawChatPeer.Frame(new HelloMessage(ProtocolVersion.Current, "chat", "test", [], name)));
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (room.Server.Participants < 300)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{room.Server.Participants} joined");
                await Task.Delay(50);
            }

            await using var carol = await ChatPeer.JoinAsync(room.Port, "carol");
            string welcome = carol.Lines[0];
            // Some names (in the order they joined, which concurrent hellos do not fix), then the count of the rest.
            Assert.StartsWith("* you joined as carol; 300 here: member-", welcome, StringComparison.Ordinal);
            Assert.Matches(@" and \d+ more$", welcome);
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(welcome) < ChatServerOptions.MaxMessageBytes + 200, welcome);
        }
        finally
        {
            crowd.CloseAll();
        }
    }

    [Fact]
    public async Task After_2500_ghost_attempts_alice_joins_as_alice_and_the_server_stays_small()
    {
        await using var chat = CliProcess.Start(["chat", "serve", "--host", "127.0.0.1", "--port", "0"]);
        string line = await chat.WaitForLineAsync(l => l.StartsWith("Chat room on port ", StringComparison.Ordinal));
        int port = int.Parse(line["Chat room on port ".Length..line.IndexOf('.', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        long before = ProcessStats.ResidentBytes(chat.Id);

        byte[] hello = RawChatPeer.Frame(new HelloMessage(ProtocolVersion.Current, "chat", "test", [], "alice"));
        using var gate = new SemaphoreSlim(16);
        var ghosts = new List<Task>();
        for (int i = 0; i < 2500; i++)
        {
            await gate.WaitAsync();
            ghosts.Add(Task.Run(async () =>
            {
                try
                {
                    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                    await socket.SendAsync((byte[])[.. hello, .. LyingFrame], SocketFlags.None);
                    // Wait for the server to end it (our side stays open, as a ghost's would).
                    var buffer = new byte[4096];
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
                    {
                    }
                }
                catch (Exception ex) when (ex is SocketException or OperationCanceledException)
                {
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(ghosts);

        await using var alice = CliProcess.Start(["chat", "connect", $"127.0.0.1:{port}", "--name", "alice"], redirectStdin: true);
        string welcome = await alice.WaitForLineAsync(l => l.StartsWith("* you joined as ", StringComparison.Ordinal));
        Assert.Equal("* you joined as alice; nobody else is here yet", welcome);
        long after = ProcessStats.ResidentBytes(chat.Id);
        Assert.True(after - before < 150L * 1024 * 1024, $"server RSS grew from {before >> 20} MB to {after >> 20} MB");
    }
}

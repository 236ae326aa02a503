using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Chat;
using Streamer.Cli.Chat;
using Streamer.Probe;
using Streamer.Protocol;
using Streamer.Transport;

namespace Streamer.Tests.Chat;

public class ChatServerTests
{
    [Fact]
    public async Task Three_participants_exchange_messages_with_names_and_join_leave_notices()
    {
        await using var room = new ChatRoomHost();
        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
        await using var bob = await ChatPeer.JoinAsync(room.Port, "bob");
        await alice.WaitForAsync("* bob joined");
        await using var carol = await ChatPeer.JoinAsync(room.Port, "carol");
        await alice.WaitForAsync("* carol joined");
        await bob.WaitForAsync("* carol joined");
        Assert.Contains("* you joined as carol; 2 here: alice, bob", carol.Lines);

        await alice.SayAsync("hi all");
        await bob.SayAsync("héllo 🎵");
        await carol.SayAsync("hey");
        await bob.WaitForAsync("alice: hi all");
        await carol.WaitForAsync("alice: hi all");
        await alice.WaitForAsync("bob: héllo 🎵");
        await carol.WaitForAsync("bob: héllo 🎵");
        await alice.WaitForAsync("carol: hey");
        await bob.WaitForAsync("carol: hey");

        await bob.Client.LeaveAsync();
        await alice.WaitForAsync("* bob left");
        await carol.WaitForAsync("* bob left");
        await bob.Ended.WaitAsync(TimeSpan.FromSeconds(20));

        // Nobody hears their own messages back.
        Assert.DoesNotContain(alice.Lines, l => l.StartsWith("alice:", StringComparison.Ordinal));
        Assert.DoesNotContain(carol.Lines, l => l.StartsWith("carol:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Escape_sequences_arrive_intact_at_the_server_and_neutralized_on_display()
    {
        await using var room = new ChatRoomHost();
        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
        await using var mallory = await ChatPeer.JoinAsync(room.Port, "mallory");
        await alice.WaitForAsync("* mallory joined");

        await mallory.SayAsync("\u001B]0;owned\u0007\u001B[2J\u001B[Hfake\nalice: I agree\u202E");
        string line = await alice.WaitForAsync(l => l.StartsWith("mallory: ", StringComparison.Ordinal));

        Assert.Equal("mallory: \uFFFD\uFFFD\uFFFDfake\uFFFDalice: I agree\uFFFD", line);
    }

    [Fact]
    public async Task Taken_names_get_a_suffix()
    {
        await using var room = new ChatRoomHost();
        await using var first = await ChatPeer.JoinAsync(room.Port, "sam");
        await using var second = await ChatPeer.JoinAsync(room.Port, "SAM");
        Assert.Contains("* you joined as SAM-2; 1 here: sam", second.Lines);
        await first.WaitForAsync("* SAM-2 joined");
    }

    [Fact]
    public async Task A_garbage_sending_client_is_dropped_while_the_others_keep_talking()
    {
        await using var room = new ChatRoomHost();
        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
        await using var bob = await ChatPeer.JoinAsync(room.Port, "bob");
        using var vandal = await RawChatPeer.ConnectAsync(room.Port);
        await vandal.HelloAsync("chat", "vandal");
        await alice.WaitForAsync("* vandal joined");

        var junk = new byte[4096];
        new Random(1).NextBytes(junk);
        await vandal.SendAsync(junk);

        await alice.WaitForAsync(l => l.StartsWith("* vandal left (dropped: sent garbage", StringComparison.Ordinal));
        await bob.WaitForAsync(l => l.StartsWith("* vandal left (dropped: sent garbage", StringComparison.Ordinal));
        await alice.SayAsync("still here?");
        await bob.WaitForAsync("alice: still here?");
        await bob.SayAsync("yes");
        await alice.WaitForAsync("bob: yes");
        Assert.Equal(2, room.Server.Participants);
    }

    [Fact]
    public async Task A_malformed_chat_payload_is_garbage_too()
    {
        await using var room = new ChatRoomHost();
        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
        using var vandal = await RawChatPeer.ConnectAsync(room.Port);
        await vandal.HelloAsync("chat", "vandal");
        await alice.WaitForAsync("* vandal joined");
        // A well-framed chat frame whose payload is a MessagePack integer, not a map.
        var frame = new System.Buffers.ArrayBufferWriter<byte>();
        FrameWriter.Write(frame, FrameHeader.Control(FrameKind.Chat), [0x2A]);
        await vandal.SendAsync(frame.WrittenSpan.ToArray());

        await alice.WaitForAsync(l => l.StartsWith("* vandal left (dropped: sent garbage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_flooding_client_is_dropped_and_told_why()
    {
        await using var room = new ChatRoomHost(new ChatServerOptions { FramesPerSecond = 5, FrameBurst = 10 });
        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
        await using var flood = await ChatPeer.JoinAsync(room.Port, "flood");
        await alice.WaitForAsync("* flood joined");

        for (int i = 0; i < 200 && !flood.Ended.IsCompleted; i++)
        {
            if (!await flood.Client.SendAsync("spam " + i, CancellationToken.None))
            {
                break;
            }
        }

        await alice.WaitForAsync(l => l.StartsWith("* flood left (dropped: flooding", StringComparison.Ordinal));
        await flood.Ended.WaitAsync(TimeSpan.FromSeconds(20));
        var error = Assert.IsType<RemoteErrorException>(flood.EndError);
        Assert.Equal("dropped", error.Code);
        Assert.Contains("flooding", error.Message, StringComparison.Ordinal);
        // The burst got through before the limit hit; the rest never reached the room.
        Assert.InRange(alice.Lines.Count(l => l.StartsWith("flood: spam", StringComparison.Ordinal)), 1, 12);
    }

    [Fact]
    public async Task A_client_that_never_reads_is_dropped_without_stalling_the_room()
    {
        var options = new ChatServerOptions { FramesPerSecond = 1_000_000, FrameBurst = 1_000_000, OutboxCapacity = 32 };
        options.Connection.MaxOutputBufferBytes = 8 * 1024;
        await using var room = new ChatRoomHost(options);
        await using var talker = await ChatPeer.JoinAsync(room.Port, "talker");
        await using var listener = await ChatPeer.JoinAsync(room.Port, "listener");
        using var sleeper = await RawChatPeer.ConnectAsync(room.Port, receiveBufferSize: 4096);
        await sleeper.HelloAsync("chat", "sleeper");
        await listener.WaitForAsync("* sleeper joined");

        string text = new('x', 1500);
        int sent = 0;
        while (!listener.Lines.Any(l => l.StartsWith("* sleeper left", StringComparison.Ordinal)) && sent < 20_000)
        {
            await talker.SayAsync(text + " " + sent);
            sent++;
            if (sent % 8 == 0)
            {
                // Talk at the pace of the reader that keeps up: only the sleeper falls behind.
                await listener.WaitForAsync($"talker: {text} {sent - 1}");
            }
        }

        string left = await listener.WaitForAsync(l => l.StartsWith("* sleeper left", StringComparison.Ordinal));
        Assert.StartsWith("* sleeper left (dropped: too slow", left, StringComparison.Ordinal);
        // Everyone who reads got every message, in order.
        await talker.SayAsync("last");
        await listener.WaitForAsync("talker: last");
        var relayed = listener.Lines.Where(l => l.StartsWith("talker: x", StringComparison.Ordinal)).ToArray();
        Assert.Equal(sent, relayed.Length);
        Assert.EndsWith(" " + (sent - 1), relayed[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_refused_with_a_notice()
    {
        await using var room = new ChatRoomHost();
        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
        await using var bob = await ChatPeer.JoinAsync(room.Port, "bob");
        await alice.WaitForAsync("* bob joined");

        await bob.SayAsync(new string('é', ChatServerOptions.MaxMessageBytes));
        await bob.WaitForAsync($"* not delivered: your message is {2 * ChatServerOptions.MaxMessageBytes} bytes; the limit is {ChatServerOptions.MaxMessageBytes}");
        await bob.SayAsync(new string('a', ChatServerOptions.MaxMessageBytes));
        await alice.WaitForAsync("bob: " + new string('a', ChatServerOptions.MaxMessageBytes));
        Assert.DoesNotContain(alice.Lines, l => l.Contains('é', StringComparison.Ordinal));
        Assert.NotNull(ChatClient.CheckMessage(new string('a', ChatServerOptions.MaxMessageBytes + 1)));
        Assert.Null(ChatClient.CheckMessage(new string('a', ChatServerOptions.MaxMessageBytes)));
    }

    [Fact]
    public async Task A_client_that_vanishes_is_announced_and_the_room_goes_on()
    {
        await using var room = new ChatRoomHost();
        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
        var ghost = await RawChatPeer.ConnectAsync(room.Port);
        await ghost.HelloAsync("chat", "ghost");
        await alice.WaitForAsync("* ghost joined");
        ghost.Socket.LingerState = new LingerOption(true, 0);
        ghost.Dispose();

        await alice.WaitForAsync(l => l.StartsWith("* ghost left", StringComparison.Ordinal));
        await using var bob = await ChatPeer.JoinAsync(room.Port, "bob");
        await bob.SayAsync("anyone?");
        await alice.WaitForAsync("bob: anyone?");
    }

    [Fact]
    public async Task Probes_get_version_and_round_trips_and_never_join()
    {
        await using var room = new ChatRoomHost();
        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
        Assert.True(ProbeTarget.TryParse($"127.0.0.1:{room.Port}", 1, out var target, out _));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var result = await new Prober(new ProbeOptions { PingCount = 6 }, NullLogger.Instance).ProbeAsync(target, timeout.Token);

        var peer = Assert.IsType<StreamerPeerInfo>(result.Streamer);
        Assert.Equal(ProtocolVersion.Current, peer.Version);
        Assert.Equal("chat-server", peer.Role);
        Assert.Equal(6, peer.Rtt!.Received);
        Assert.Null(peer.Error);
        await alice.SayAsync("marker");
        await using var bob = await ChatPeer.JoinAsync(room.Port, "bob");
        Assert.Contains("* you joined as bob; 1 here: alice", bob.Lines);
        Assert.DoesNotContain(alice.Lines, l => l.Contains("probe", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Other_roles_and_empty_names_are_refused_with_a_reason()
    {
        await using var room = new ChatRoomHost();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var endpoint = new HostPort("127.0.0.1", room.Port);

        var badName = await Assert.ThrowsAsync<RemoteErrorException>(async () =>
        {
            await using var client = await ChatClient.ConnectAsync(endpoint, "\u001B\u0007", NullLogger.Instance, timeout.Token);
            await client.ReceiveAsync(timeout.Token);
        });
        Assert.Equal("bad-name", badName.Code);

        using var player = await RawChatPeer.ConnectAsync(room.Port);
        await player.HelloAsync("play", null);
        var buffer = new byte[4096];
        int total = 0, read;
        while ((read = await player.Socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, timeout.Token)) > 0)
        {
            total += read;
        }

        Assert.Contains("wrong-role", System.Text.Encoding.UTF8.GetString(buffer, 0, total), StringComparison.Ordinal);
        Assert.Equal(0, room.Server.Participants);
    }

    [Fact]
    public async Task Stopping_the_server_tells_everyone_and_ends_their_sessions()
    {
        var room = new ChatRoomHost();
        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
        await using var bob = await ChatPeer.JoinAsync(room.Port, "bob");

        await room.DisposeAsync();

        await alice.WaitForAsync("* the room is closing");
        await bob.WaitForAsync("* the room is closing");
        await alice.Ended.WaitAsync(TimeSpan.FromSeconds(20));
        await bob.Ended.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_full_room_refuses_newcomers()
    {
        await using var room = new ChatRoomHost(new ChatServerOptions { MaxClients = 1 });
        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
        var refused = await Assert.ThrowsAsync<RemoteErrorException>(() => ChatPeer.JoinAsync(room.Port, "bob"));
        Assert.Equal("server-full", refused.Code);
    }

    [Fact]
    public async Task The_room_works_over_IPv6()
    {
        await using var server = new ChatServer("::1", 0, new ChatServerOptions(), NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var running = server.RunAsync(stop.Token);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var endpoint = new HostPort("::1", server.LocalEndPoint.Port);
        await using (var alice = await ChatClient.ConnectAsync(endpoint, "alice", NullLogger.Instance, timeout.Token))
        await using (var bob = await ChatClient.ConnectAsync(endpoint, "bob", NullLogger.Instance, timeout.Token))
        {
            Assert.True(await bob.SendAsync("over v6", timeout.Token));
            var seen = new List<string>();
            while (await alice.ReceiveAsync(timeout.Token) is { } message)
            {
                seen.Add(ChatConsole.Format(message));
                if (message.Event == "message")
                {
                    break;
                }
            }

            Assert.Equal(["* you joined as alice; nobody else is here yet", "* bob joined", "bob: over v6"], seen);
        }

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(20));
    }
}

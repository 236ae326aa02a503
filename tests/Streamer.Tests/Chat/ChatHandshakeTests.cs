using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Chat;
using Streamer.Protocol;
using Streamer.Tests.Cli;
using Streamer.Tests.Support;
using Streamer.Transport;

namespace Streamer.Tests.Chat;

/// <summary>The chat server's side of the hello, as docs/protocol.md states it.</summary>
public class ChatHandshakeTests
{
    [Fact]
    public async Task A_name_over_the_limit_is_refused_not_cut()
    {
        await using var room = new ChatRoomHost();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var refused = await Assert.ThrowsAsync<RemoteErrorException>(async () =>
        {
            await using var client = await ChatClient.ConnectAsync(new HostPort("127.0.0.1", room.Port), new string('a', ChatServerOptions.MaxNameLength + 1), NullLogger.Instance, timeout.Token);
            await client.ReceiveAsync(timeout.Token);
        });

        Assert.Equal("bad-name", refused.Code);
        Assert.Contains("at most 32 characters", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, room.Server.Participants);
    }

    [Fact]
    public async Task A_name_at_the_limit_joins_whole()
    {
        await using var room = new ChatRoomHost();
        string name = "zoë-" + string.Concat(Enumerable.Repeat("\U0001F3B5", (ChatServerOptions.MaxNameLength - 4) / 2));
        await using var peer = await ChatPeer.JoinAsync(room.Port, name);

        await peer.WaitForAsync($"* you joined as {name}; nobody else is here yet");
    }

    [Fact]
    public async Task A_chat_hello_without_a_name_is_refused_after_the_servers_hello()
    {
        await using var room = new ChatRoomHost();
        using var peer = await RawPeer.ConnectAsync(room.Port);
        await peer.SendAsync(RawPeer.Frame(new HelloMessage(ProtocolVersion.Current, "chat", "test", [])));
        var (bytes, reset) = await ErrorFrameDeliveryTests.ReadUntilClosedAsync(peer, TimeSpan.FromSeconds(20));

        var frames = RawPeer.Frames(bytes);
        Assert.False(reset);
        Assert.Equal(2, frames.Count);
        Assert.Equal(FrameKind.Hello, frames[0].Header.Kind);
        Assert.Equal(FrameKind.Error, frames[1].Header.Kind);
        Assert.Equal("bad-name", ErrorMessage.Read(new ReadOnlySequence<byte>(frames[1].Payload)).Code);
    }
}

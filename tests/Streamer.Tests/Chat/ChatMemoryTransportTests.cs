using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Chat;
using Streamer.Protocol;
using Streamer.Transport;
using Streamer.Transport.Memory;

namespace Streamer.Tests.Chat;

/// <summary>The chat server and two clients in one process over the memory transport, no socket.</summary>
public sealed class ChatMemoryTransportTests
{
    [Fact]
    public async Task Two_participants_chat_over_the_memory_transport()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var transport = new MemoryTransport();
        await using var server = new ChatServer(transport, new ChatServerOptions(), NullLoggerFactory.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var running = server.RunAsync(stop.Token);
        var place = new HostPort("memory", 0);

        await using var alice = await ChatClient.ConnectAsync(transport, place, "alice", NullLogger.Instance, timeout.Token);
        await using var bob = await ChatClient.ConnectAsync(transport, place, "bob", NullLogger.Instance, timeout.Token);
        Assert.True(await alice.SendAsync("hello bob", timeout.Token));

        ChatMessage? heard;
        do
        {
            heard = await bob.ReceiveAsync(timeout.Token);
        }
        while (heard is not null && heard.Text != "hello bob");

        Assert.NotNull(heard);
        Assert.Equal("alice", heard.From);
        await stop.CancelAsync();
        await running;
    }
}

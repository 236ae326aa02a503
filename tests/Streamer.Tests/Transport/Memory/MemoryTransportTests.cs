using System.Buffers;
using System.IO.Pipelines;
using Streamer.Transport;
using Streamer.Transport.Memory;

namespace Streamer.Tests.Transport.Memory;

public sealed class MemoryTransportTests
{
    [Fact]
    public async Task Bytes_cross_both_ways_and_disposal_ends_the_peers_input_cleanly()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var transport = new MemoryTransport();
        var client = await transport.ConnectAsync(transport.EndPoint, timeout.Token);
        var server = (await transport.AcceptAsync(timeout.Token))!;

        await client.Output.WriteAsync("ping"u8.ToArray(), timeout.Token);
        Assert.Equal("ping"u8.ToArray(), await ReadExactlyAsync(server.Input, 4, timeout.Token));
        await server.Output.WriteAsync("pong"u8.ToArray(), timeout.Token);
        Assert.Equal("pong"u8.ToArray(), await ReadExactlyAsync(client.Input, 4, timeout.Token));
        Assert.Equal(server.LocalEndPoint, client.RemoteEndPoint);

        await client.Output.WriteAsync("bye"u8.ToArray(), timeout.Token);
        await client.DisposeAsync();
        Assert.Equal("bye"u8.ToArray(), await ReadExactlyAsync(server.Input, 3, timeout.Token));
        var end = await server.Input.ReadAsync(timeout.Token);
        Assert.True(end.IsCompleted);
        server.Input.AdvanceTo(end.Buffer.End);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task An_abort_gives_the_peer_what_was_sent_then_a_reset_and_stops_the_aborters_io()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var transport = new MemoryTransport();
        var client = await transport.ConnectAsync(transport.EndPoint, timeout.Token);
        var server = (await transport.AcceptAsync(timeout.Token))!;

        await server.Output.WriteAsync("why"u8.ToArray(), timeout.Token);
        Assert.Equal("why"u8.ToArray(), await ReadExactlyAsync(client.Input, 3, timeout.Token));
        server.Abort();

        await Assert.ThrowsAsync<ConnectionResetException>(async () => await ReadExactlyAsync(client.Input, 1, timeout.Token));
        var own = await server.Input.ReadAsync(timeout.Token);
        Assert.True(own.IsCompleted);
        server.Input.AdvanceTo(own.Buffer.End);
        FlushResult flush;
        do
        {
            flush = await server.Output.WriteAsync(new byte[1024], timeout.Token);
        }
        while (!flush.IsCompleted);

        await server.DisposeAsync();
        await client.DisposeAsync();
    }

    [Fact]
    public async Task A_disposed_listener_accepts_nothing_and_refuses_connects()
    {
        var transport = new MemoryTransport();
        await transport.DisposeAsync();

        Assert.Null(await transport.AcceptAsync());
        await Assert.ThrowsAsync<IOException>(async () => await transport.ConnectAsync(transport.EndPoint));
    }

    private static async Task<byte[]> ReadExactlyAsync(PipeReader reader, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.Buffer.Length >= count)
            {
                byte[] bytes = result.Buffer.Slice(0, count).ToArray();
                reader.AdvanceTo(result.Buffer.GetPosition(count));
                return bytes;
            }

            if (result.IsCompleted)
            {
                throw new EndOfStreamException();
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}

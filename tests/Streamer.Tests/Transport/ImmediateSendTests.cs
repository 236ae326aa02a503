using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Transport;
using Streamer.Transport.Memory;
using Streamer.Transport.Sockets;

namespace Streamer.Tests.Transport;

/// <summary>
/// <see cref="IImmediateSend"/>: bytes handed straight to the transport never overtake bytes queued in the output
/// before them, a full socket takes part or nothing (and never blocks), and a closed connection takes nothing.
/// </summary>
public sealed class ImmediateSendTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Either send loop: inline on the flushing thread, or on a thread-pool thread of its own (where flushed bytes may
    // wait for their thread while the writer goes on).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Immediate_and_queued_bytes_arrive_in_order_when_the_peer_stops_reading_and_starts_again(bool sendInParallel)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var (server, client) = await SocketPairAsync(new SocketConnectionOptions { SendBufferBytes = 16 * 1024, MaxOutputBufferBytes = 32 * 1024, SendInParallel = sendInParallel }, timeout.Token);
        using var peer = client;
        await using var connection = server;
        var immediate = Assert.IsAssignableFrom<IImmediateSend>(connection);
        // The peer sends nothing: its end lets our disposal close gracefully instead of resetting what is in flight.
        peer.Shutdown(SocketShutdown.Send);

        // The peer reads nothing until the kernel's buffers are full (the first send that is not taken whole).
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new MemoryStream();
        var reading = Task.Run(async () =>
        {
            await full.Task.WaitAsync(timeout.Token);
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await peer.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        });

        await WaitUntilTakenAsync(immediate, timeout.Token);
        var sent = new MemoryStream();
        sent.WriteByte(0);
        var random = new Random(7);
        int whole = 0, partOrNone = 0;
        byte next = 0;
        for (int i = 0; i < 3000; i++)
        {
            var chunk = new byte[random.Next(1, 6000)];
            for (int j = 0; j < chunk.Length; j++)
            {
                chunk[j] = next++;
            }

            sent.Write(chunk);
            if (i % 5 == 0)
            {
                // Some writes go through the queue, as a pong or a status would.
                await connection.Output.WriteAsync(chunk, timeout.Token);
                continue;
            }

            int taken = immediate.TrySendNow(chunk);
            Assert.InRange(taken, 0, chunk.Length);
            if (taken == chunk.Length)
            {
                whole++;
                continue;
            }

            partOrNone++;
            full.TrySetResult();
            await connection.Output.WriteAsync(chunk.AsMemory(taken), timeout.Token);
        }

        full.TrySetResult();
        await connection.DisposeAsync();
        await reading;

        Assert.True(whole > 0, "no send was taken at once");
        Assert.True(partOrNone > 0, "the peer's buffers never filled");
        Assert.Equal(sent.Length, received.Length);
        Assert.True(sent.ToArray().AsSpan().SequenceEqual(received.ToArray()), "the bytes arrived out of order");
    }

    [Fact]
    public async Task A_closed_connection_takes_nothing_and_does_not_throw()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var (server, client) = await SocketPairAsync(new SocketConnectionOptions(), timeout.Token);
        using var peer = client;
        var immediate = (IImmediateSend)server;
        await WaitUntilTakenAsync(immediate, timeout.Token);

        server.Abort();
        Assert.Equal(0, immediate.TrySendNow([1, 2, 3]));
        await server.DisposeAsync();
        Assert.Equal(0, immediate.TrySendNow([1, 2, 3]));
    }

    // The direct send uses the socket's descriptor number: once the connection is closed, that number may belong to the
    // next socket accepted. Bytes offered to the old connection must never reach the new one's peer.
    [Fact]
    public async Task A_closed_connection_never_sends_on_the_descriptor_a_new_connection_reuses()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var (first, firstPeer) = await SocketPairAsync(new SocketConnectionOptions(), timeout.Token);
        using var oldPeer = firstPeer;
        var old = (IImmediateSend)first;
        await WaitUntilTakenAsync(old, timeout.Token);
        first.Abort();
        await first.DisposeAsync();

        var (second, secondPeer) = await SocketPairAsync(new SocketConnectionOptions(), timeout.Token);
        using var peer = secondPeer;
        await using var connection = second;
        Assert.Equal(0, old.TrySendNow([9, 9, 9]));
        await WaitUntilTakenAsync((IImmediateSend)connection, timeout.Token);

        var buffer = new byte[16];
        int n = await peer.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        Assert.True(n >= 1);
        Assert.All(buffer[..n], b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task Closing_the_descriptor_guard_waits_out_a_send_in_progress_and_ends_all_later_ones()
    {
        var guard = new System.Runtime.CompilerServices.StrongBox<DescriptorGuard>();
        Assert.True(guard.Value.TryEnter());
        var closing = Task.Run(() => guard.Value.Close());
        // A send in progress holds it: the closer cannot finish until the send ends (it spins meanwhile).
        await Task.WhenAny(closing, Task.Delay(50));
        Assert.False(closing.IsCompleted);
        guard.Value.Exit();
        await closing.WaitAsync(Timeout);

        Assert.False(guard.Value.TryEnter());
        guard.Value.Close();
        Assert.False(guard.Value.TryEnter());
    }

    [Fact]
    public async Task The_memory_transport_takes_bytes_at_once_only_behind_an_empty_queue()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await using var transport = new MemoryTransport();
        var accepting = transport.Listener.AcceptAsync(timeout.Token);
        await using var client = await transport.Connector.ConnectAsync(new DnsEndPoint("memory", 0), timeout.Token);
        await using var server = (await accepting)!;
        var immediate = Assert.IsAssignableFrom<IImmediateSend>(server);
        // Once the probe has reached the peer, the pump waits for more, on the writer's thread from then on.
        await WaitUntilTakenAsync(immediate, timeout.Token);
        var got = await ReadAsync(client, 1, timeout.Token);

        await server.Output.WriteAsync(new byte[] { 10, 11 }, timeout.Token);
        Assert.Equal(3, immediate.TrySendNow([12, 13, 14]));
        await server.Output.WriteAsync(new byte[] { 15 }, timeout.Token);
        Assert.Equal(1, immediate.TrySendNow([16]));

        got.AddRange(await ReadAsync(client, 7, timeout.Token));
        // The probe byte, then everything in the order it was handed over.
        Assert.Equal(new byte[] { 0, 10, 11, 12, 13, 14, 15, 16 }, got.ToArray());
    }

    private static async Task<List<byte>> ReadAsync(IConnection connection, int count, CancellationToken cancellationToken)
    {
        var got = new List<byte>();
        while (got.Count < count)
        {
            var result = await connection.Input.ReadAsync(cancellationToken);
            foreach (var segment in result.Buffer)
            {
                got.AddRange(segment.ToArray());
            }

            connection.Input.AdvanceTo(result.Buffer.End);
        }

        return got;
    }

    /// <summary>The send loop starts on the thread pool: until it waits, nothing is taken at once. Sends one 0 byte.</summary>
    private static async Task WaitUntilTakenAsync(IImmediateSend immediate, CancellationToken cancellationToken)
    {
        while (immediate.TrySendNow([0]) == 0)
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    private static async Task<(SocketConnection Server, Socket Client)> SocketPairAsync(SocketConnectionOptions options, CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = listener.AcceptSocketAsync(cancellationToken).AsTask();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 8 * 1024 };
        await client.ConnectAsync(listener.LocalEndpoint, cancellationToken);
        var server = SocketConnection.Create(await accepting, options, NullLogger.Instance);
        server.Start();
        return (server, client);
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Transport.Sockets;

namespace Streamer.Tests.Transport;

/// <summary>
/// What the send loop finds queued in several pipe segments leaves in one gather send: every byte must arrive, in
/// order, in both I/O modes, including a queue longer than one gather takes and a peer that reads slowly (partial sends).
/// </summary>
public sealed class GatherSendTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task A_queue_of_many_segments_arrives_intact(bool sendInParallel, bool blockingIo)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = listener.AcceptSocketAsync(timeout.Token).AsTask();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await peer.ConnectAsync(listener.LocalEndpoint, timeout.Token);
        var socket = await accepting;
        // 8 MiB queued before the first flush: about 128 segments of 64 KiB, twice what one gather send takes.
        var options = new SocketConnectionOptions { SendInParallel = sendInParallel, BlockingIo = blockingIo, MaxOutputBufferBytes = 16 * 1024 * 1024, SendBufferBytes = 64 * 1024 };
        var connection = SocketConnection.Create(socket, options, NullLogger.Instance);
        connection.Start();

        byte[] expected = new byte[8 * 1024 * 1024];
        new Random(7).NextBytes(expected);
        for (int offset = 0; offset < expected.Length; offset += 3001)
        {
            // Odd-sized writes, none flushed: the pipe fills segment after segment.
            int length = Math.Min(3001, expected.Length - offset);
            expected.AsSpan(offset, length).CopyTo(connection.Output.GetSpan(length));
            connection.Output.Advance(length);
        }

        // Off this thread: without SendInParallel the send runs inside the flush, and a blocking send waits for our reads.
        var flushing = Task.Run(async () => await connection.Output.FlushAsync(timeout.Token));
        var received = new byte[expected.Length];
        int got = 0;
        while (got < received.Length)
        {
            // Small reads, with pauses at first, so the kernel's buffers fill and sends return partly done.
            if (got < 1024 * 1024)
            {
                await Task.Delay(1, timeout.Token);
            }

            int n = await peer.ReceiveAsync(received.AsMemory(got, Math.Min(16 * 1024, received.Length - got)), SocketFlags.None, timeout.Token);
            Assert.True(n > 0, $"the connection ended after {got} of {received.Length} bytes");
            got += n;
        }

        await flushing;
        await connection.DisposeAsync();
        Assert.Equal(expected, received);
        Assert.Equal(0, await peer.ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token));
    }
}

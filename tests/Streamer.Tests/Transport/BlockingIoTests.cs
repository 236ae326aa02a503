using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Protocol;
using Streamer.Tests.Probe;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Tests.Transport;

/// <summary>The blocking mode a live client uses: a receive thread in recv, synchronous sends, a blocking connect.</summary>
public sealed partial class BlockingIoTests
{
    private static readonly SocketConnectionOptions Blocking = new() { BlockingIo = true };

    [Fact]
    public Task Frames_flow_both_ways_in_order_and_intact_with_the_reader_on_the_receive_thread() => Task.Run(async () =>
    {
        // Off xunit's synchronization context, so continuations run where the transport resumes them.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (server, client, clientSocket) = await ConnectPairAsync(timeout.Token);
        await using var _ = server;
        await using var __ = client;

        const int Frames = 2000;
        var random = new Random(7);
        var payloads = Enumerable.Range(0, 8).Select(_ => { var p = new byte[random.Next(1, 70_000)]; random.NextBytes(p); return p; }).ToArray();
        var serverSends = SendAsync(server, Frames, payloads, timeout.Token);
        var clientReader = new FrameReader(client.Input);
        using var clientSender = new FrameSender(client.Output);
        var serverReader = new FrameReader(server.Input);
        var serverReceives = Task.Run(async () =>
        {
            for (uint i = 0; i < Frames; i++)
            {
                Assert.Equal(FrameReadOutcome.Frame, await serverReader.ReadAsync(timeout.Token));
                Assert.Equal(i, serverReader.Current.Header.Sequence);
                Assert.Equal(payloads[i % payloads.Length].Length, (int)serverReader.Current.Payload.Length);
            }
        });

        int onReceiveThread = 0;
        for (uint i = 0; i < Frames; i++)
        {
            Assert.Equal(FrameReadOutcome.Frame, await clientReader.ReadAsync(timeout.Token));
            onReceiveThread += Thread.CurrentThread.Name == "Streamer receive" ? 1 : 0;
            Assert.Equal(i, clientReader.Current.Header.Sequence);
            var payload = clientReader.Current.Payload.ToArray();
            Assert.Equal(payloads[i % payloads.Length], payload);
            // Echoed from the receive thread itself: blocking sends.
            Assert.True(await clientSender.SendAudioAsync(i, i, new ReadOnlySequence<byte>(payload), flush: true, timeout.Token));
        }

        Assert.Equal(FrameReadOutcome.End, await clientReader.ReadAsync(timeout.Token));
        await serverSends;
        await serverReceives;
        // Frames that had to be waited for were handed over inline by the receive thread, not by the runtime's
        // socket engine, and the socket never left blocking mode.
        Assert.True(onReceiveThread > 0, "no frame was delivered on the receive thread");
        Assert.False(IsNonBlocking(clientSocket), "the client socket was switched to non-blocking mode");
    });

    [Fact]
    public async Task A_peer_that_stops_reading_fails_a_blocked_send_instead_of_hanging_dispose()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (server, client, _) = await ConnectPairAsync(timeout.Token);
        await using var __ = server;
        // 32 MiB without a flush, far beyond both kernel buffers; the server never reads.
        var chunk = new byte[1024 * 1024];
        for (int i = 0; i < 32; i++)
        {
            client.Output.Write(chunk);
        }

        var clock = Stopwatch.StartNew();
        // Completing the output resumes the send loop on this thread, where the send blocks until its timeout.
        await Task.Run(() => client.DisposeAsync().AsTask(), timeout.Token).WaitAsync(timeout.Token);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"dispose took {clock.Elapsed}");
    }

    [Fact]
    public async Task Disposing_unblocks_a_receive_thread_waiting_on_a_silent_peer()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (server, client, _) = await ConnectPairAsync(timeout.Token);
        await using var __ = server;
        var reading = client.Input.ReadAsync(timeout.Token).AsTask();
        await Task.Delay(200, timeout.Token);
        Assert.False(reading.IsCompleted);

        var clock = Stopwatch.StartNew();
        await client.DisposeAsync().AsTask().WaitAsync(timeout.Token);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"dispose took {clock.Elapsed}");
        // DisposeAsync waits for the receive thread, so returning proves recv was unblocked; the pending read ends too.
        await ((Task)reading).ContinueWith(static _ => { }, TaskScheduler.Default).WaitAsync(timeout.Token);
    }

    [Fact]
    public async Task A_peer_that_resets_ends_the_input_with_a_connection_reset()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = listener.AcceptSocketAsync(timeout.Token).AsTask();
        var socket = await TcpConnector.ConnectAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, TimeSpan.FromSeconds(10), timeout.Token, blocking: true);
        await using var client = SocketConnection.Create(socket, Blocking, NullLogger.Instance);
        client.Start();
        using (var peer = await accepting)
        {
            peer.Send([1, 2, 3]);
            peer.Close(0); // linger 0: RST instead of FIN
        }

        var error = await Assert.ThrowsAsync<ConnectionResetException>(async () =>
        {
            while (true)
            {
                var result = await client.Input.ReadAsync(timeout.Token);
                client.Input.AdvanceTo(result.Buffer.End);
                Assert.False(result.IsCompleted, "the input ended cleanly instead of reporting the reset");
            }
        });
        Assert.NotEmpty(error.Message);
    }

    [Fact]
    public async Task Blocking_connect_to_a_closed_port_is_refused()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var error = await Assert.ThrowsAsync<SocketException>(
            () => TcpConnector.ConnectAsync("127.0.0.1", port, TimeSpan.FromSeconds(10), CancellationToken.None, blocking: true));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [Fact]
    public async Task Blocking_connect_times_out_and_stops_on_cancel()
    {
        using var target = new BacklogFullListener();
        var clock = Stopwatch.StartNew();
        var timedOut = await Assert.ThrowsAsync<SocketException>(
            () => TcpConnector.ConnectAsync("127.0.0.1", target.Port, TimeSpan.FromMilliseconds(300), CancellationToken.None, blocking: true));
        Assert.Equal(SocketError.TimedOut, timedOut.SocketErrorCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the timeout took {clock.Elapsed}");

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => TcpConnector.ConnectAsync("127.0.0.1", target.Port, TimeSpan.FromSeconds(60), cancel.Token, blocking: true));
    }

    private static bool IsNonBlocking(Socket socket)
    {
        const int GetStatusFlags = 3; // F_GETFL
        const int NonBlocking = 0x800; // O_NONBLOCK on Linux
        int flags = Fcntl((int)socket.SafeHandle.DangerousGetHandle(), GetStatusFlags, 0);
        Assert.True(flags >= 0, "fcntl failed");
        return (flags & NonBlocking) != 0;
    }

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int Fcntl(int fd, int command, int argument);

    private static async Task<(SocketConnection Server, SocketConnection Client, Socket ClientSocket)> ConnectPairAsync(CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = listener.AcceptSocketAsync(cancellationToken).AsTask();
        var socket = await TcpConnector.ConnectAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, TimeSpan.FromSeconds(10), cancellationToken, blocking: true);
        var server = SocketConnection.Create(await accepting, new SocketConnectionOptions(), NullLogger.Instance);
        var client = SocketConnection.Create(socket, Blocking, NullLogger.Instance);
        server.Start();
        client.Start();
        return (server, client, socket);
    }

    private static Task SendAsync(SocketConnection connection, int frames, byte[][] payloads, CancellationToken cancellationToken)
        => Task.Run(async () =>
        {
            using var sender = new FrameSender(connection.Output);
            for (uint i = 0; i < frames; i++)
            {
                Assert.True(await sender.SendAudioAsync(i, i, new ReadOnlySequence<byte>(payloads[i % payloads.Length]), flush: i % 5 == 0, cancellationToken));
            }

            await sender.CompleteAsync();
        });
}

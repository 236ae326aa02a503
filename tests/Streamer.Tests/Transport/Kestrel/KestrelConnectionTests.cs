using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Transport;
using Streamer.Transport.Kestrel;

namespace Streamer.Tests.Transport.Kestrel;

/// <summary>Kestrel's socket transport keeps the promises of <see cref="IConnection"/> and <see cref="IConnectionListener"/>, over real loopback sockets.</summary>
public class KestrelConnectionTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Bytes_cross_both_ways_and_the_end_points_are_the_peers()
    {
        await using var listener = Listen();
        using var peer = await ConnectAsync(listener);
        await using var connection = (await listener.AcceptAsync())!;

        Assert.Equal(peer.LocalEndPoint, connection.RemoteEndPoint);
        Assert.Equal(peer.RemoteEndPoint, connection.LocalEndPoint);
        byte[] sent = [.. Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7))];
        await peer.SendAsync(sent, SocketFlags.None);
        Assert.Equal(sent, await ReadExactlyAsync(connection, sent.Length));

        await connection.Output.WriteAsync(sent);
        byte[] back = new byte[sent.Length];
        int got = 0;
        using var cts = new CancellationTokenSource(Generous);
        while (got < back.Length)
        {
            got += await peer.ReceiveAsync(back.AsMemory(got), SocketFlags.None, cts.Token);
        }

        Assert.Equal(sent, back);
    }

    [Fact]
    public async Task Completing_the_output_keeps_the_input_open_and_disposal_closes_with_a_fin()
    {
        await using var listener = Listen();
        using var peer = await ConnectAsync(listener);
        var connection = (await listener.AcceptAsync())!;

        await connection.Output.WriteAsync("last words"u8.ToArray());
        await connection.Output.CompleteAsync();
        Assert.Throws<InvalidOperationException>(() => connection.Output.GetSpan());
        // What the peer sends after our output completed is still read (a refusal drains it before closing).
        await peer.SendAsync("more"u8.ToArray(), SocketFlags.None);
        Assert.Equal("more"u8.ToArray(), await ReadExactlyAsync(connection, 4));
        peer.Shutdown(SocketShutdown.Send);
        Assert.Empty(await ReadToEndAsync(connection));
        await connection.DisposeAsync();

        var (bytes, reset) = await ReceiveUntilClosedAsync(peer);
        Assert.Equal("last words"u8.ToArray(), bytes);
        Assert.False(reset);
    }

    [Fact]
    public async Task A_peers_reset_is_raised_as_a_connection_reset()
    {
        await using var listener = Listen();
        var peer = await ConnectAsync(listener);
        await using var connection = (await listener.AcceptAsync())!;

        peer.LingerState = new LingerOption(true, 0);
        peer.Close();

        await Assert.ThrowsAsync<ConnectionResetException>(async () => await ReadToEndAsync(connection));
    }

    [Fact]
    public async Task Abort_ends_our_reads_and_resets_the_peer()
    {
        await using var listener = Listen();
        using var peer = await ConnectAsync(listener);
        await using var connection = (await listener.AcceptAsync())!;

        var reading = ReadToEndAsync(connection);
        connection.Abort();
        connection.Abort();

        Assert.Empty(await reading.WaitAsync(Generous));
        var (_, reset) = await ReceiveUntilClosedAsync(peer);
        Assert.True(reset, "an aborted connection must reach the peer as a reset");
    }

    [Fact]
    public async Task A_port_in_use_fails_at_listen_with_its_socket_error()
    {
        await using var first = Listen();
        int port = ((IPEndPoint)first.EndPoint).Port;

        var error = Assert.Throws<SocketException>(() => KestrelTransport.Listen("127.0.0.1", port, new KestrelListenerOptions(), NullLoggerFactory.Instance));
        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }

    [Fact]
    public async Task A_disposed_or_cancelled_listener_accepts_nothing_more()
    {
        var listener = Listen();
        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
        {
            Assert.Null(await listener.AcceptAsync(cts.Token));
        }

        var accepting = listener.AcceptAsync().AsTask();
        await listener.DisposeAsync();
        Assert.Null(await accepting.WaitAsync(Generous));
        await listener.DisposeAsync();
    }

    private static IConnectionListener Listen() => KestrelTransport.Listen("127.0.0.1", 0, new KestrelListenerOptions(), NullLoggerFactory.Instance);

    private static async Task<Socket> ConnectAsync(IConnectionListener listener)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(listener.EndPoint);
        return socket;
    }

    private static async Task<byte[]> ReadExactlyAsync(IConnection connection, int count)
    {
        using var cts = new CancellationTokenSource(Generous);
        while (true)
        {
            var read = await connection.Input.ReadAsync(cts.Token);
            if (read.Buffer.Length >= count || read.IsCompleted)
            {
                byte[] bytes = read.Buffer.Slice(0, Math.Min(count, read.Buffer.Length)).ToArray();
                connection.Input.AdvanceTo(read.Buffer.GetPosition(bytes.Length));
                return bytes;
            }

            connection.Input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>Everything left on the input until it ends (empty when nothing was left).</summary>
    private static async Task<byte[]> ReadToEndAsync(IConnection connection)
    {
        using var cts = new CancellationTokenSource(Generous);
        using var all = new MemoryStream();
        while (true)
        {
            var read = await connection.Input.ReadAsync(cts.Token);
            foreach (var segment in read.Buffer)
            {
                all.Write(segment.Span);
            }

            connection.Input.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                return all.ToArray();
            }
        }
    }

    private static async Task<(byte[] Bytes, bool Reset)> ReceiveUntilClosedAsync(Socket peer)
    {
        using var cts = new CancellationTokenSource(Generous);
        using var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await peer.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                return (all.ToArray(), true);
            }

            if (n == 0)
            {
                return (all.ToArray(), false);
            }

            all.Write(buffer, 0, n);
        }
    }
}

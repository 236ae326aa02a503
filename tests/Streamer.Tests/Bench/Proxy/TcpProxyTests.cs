using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Streamer.Bench.Proxy;
using Streamer.Transport;

namespace Streamer.Tests.Bench.Proxy;

/// <summary>The proxy over real loopback sockets; timing on a simulated clock where it matters.</summary>
public class TcpProxyTests
{
    [Fact]
    public async Task Bytes_pass_both_ways_intact_without_conditions()
    {
        using var upstream = EchoServer();
        await using var proxy = TcpProxy.Start(new IPEndPoint(IPAddress.Loopback, 0), Upstream(upstream), NetworkConditions.None);
        using var client = await ConnectAsync(proxy);
        byte[] sent = new byte[3 * 1024 * 1024];
        new Random(5).NextBytes(sent);

        var send = Task.Run(async () =>
        {
            await client.SendAsync(sent, SocketFlags.None);
            client.Shutdown(SocketShutdown.Send);
        });
        byte[] echoed = await ReadToEndAsync(client);
        await send;

        Assert.Equal(sent, echoed);
    }

    [Fact]
    public async Task A_delayed_chunk_is_released_on_the_simulated_clock_at_arrival_plus_delay()
    {
        var time = new FakeTimeProvider();
        using var upstream = new TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        await using var proxy = TcpProxy.Start(new IPEndPoint(IPAddress.Loopback, 0), Upstream(upstream), new NetworkConditions { Delay = TimeSpan.FromMilliseconds(40) }, time);
        using var client = await ConnectAsync(proxy);
        using var server = await upstream.AcceptSocketAsync();

        await client.SendAsync("a"u8.ToArray(), SocketFlags.None);
        await WaitUntilAsync(() => proxy.BytesReceived == 1);
        time.Advance(TimeSpan.FromMilliseconds(39));
        // Not a timing assertion: on a frozen clock the byte cannot be out however long the wait.
        await Task.Delay(200);
        Assert.Equal(0, server.Available);

        time.Advance(TimeSpan.FromMilliseconds(1));
        byte[] one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await server.ReceiveAsync(one, SocketFlags.None, timeout.Token));
        Assert.Equal((byte)'a', one[0]);
    }

    [Fact]
    public async Task Corrupt_every_flips_exactly_the_nth_bytes()
    {
        using var upstream = new TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        await using var proxy = TcpProxy.Start(new IPEndPoint(IPAddress.Loopback, 0), Upstream(upstream), new NetworkConditions { CorruptEvery = 1000 });
        using var client = await ConnectAsync(proxy);
        using var server = await upstream.AcceptSocketAsync();
        byte[] sent = new byte[100_000];
        new Random(9).NextBytes(sent);

        await client.SendAsync(sent, SocketFlags.None);
        client.Shutdown(SocketShutdown.Send);
        byte[] received = await ReadToEndAsync(server);

        Assert.Equal(sent.Length, received.Length);
        for (int i = 0; i < sent.Length; i++)
        {
            Assert.Equal((i + 1) % 1000 == 0 ? (byte)(sent[i] ^ 0xFF) : sent[i], received[i]);
        }
    }

    [Fact]
    public async Task Cut_at_resets_both_sides_on_the_simulated_clock()
    {
        var time = new FakeTimeProvider();
        using var upstream = new TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        await using var proxy = TcpProxy.Start(new IPEndPoint(IPAddress.Loopback, 0), Upstream(upstream), new NetworkConditions { CutAt = TimeSpan.FromSeconds(30) }, time);
        using var client = await ConnectAsync(proxy);
        using var server = await upstream.AcceptSocketAsync();
        await client.SendAsync("x"u8.ToArray(), SocketFlags.None);
        byte[] one = new byte[1];
        Assert.Equal(1, await server.ReceiveAsync(one, SocketFlags.None));

        time.Advance(TimeSpan.FromSeconds(30));

        var clientError = await Assert.ThrowsAsync<SocketException>(async () => await client.ReceiveAsync(one, SocketFlags.None));
        Assert.Equal(SocketError.ConnectionReset, clientError.SocketErrorCode);
        var serverError = await Assert.ThrowsAsync<SocketException>(async () => await server.ReceiveAsync(one, SocketFlags.None));
        Assert.Equal(SocketError.ConnectionReset, serverError.SocketErrorCode);
    }

    [Fact]
    public async Task A_closed_upstream_resets_the_client_and_the_proxy_keeps_serving()
    {
        int closedPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var proxy = TcpProxy.Start(new IPEndPoint(IPAddress.Loopback, 0), new HostPort("127.0.0.1", closedPort), NetworkConditions.None);
        for (int i = 0; i < 3; i++)
        {
            // The reset may come before the connect's completion is seen: either call may report it.
            var error = await Assert.ThrowsAsync<SocketException>(async () =>
            {
                using var client = await ConnectAsync(proxy);
                byte[] one = new byte[1];
                await client.ReceiveAsync(one, SocketFlags.None);
            });
            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        }

        Assert.Equal(3, proxy.ConnectionsAccepted);
    }

    internal static HostPort Upstream(TcpListener listener) => new("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);

    private static async Task<Socket> ConnectAsync(TcpProxy proxy)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, proxy.LocalEndPoint.Port);
        return socket;
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var received = new MemoryStream();
        byte[] buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        return received.ToArray();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(5);
        }
    }

    private static Echo EchoServer() => new();

    /// <summary>A loopback server that echoes each connection until its client half-closes.</summary>
    private sealed class Echo : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);

        public Echo()
        {
            listener.Start();
            _ = Task.Run(async () =>
            {
                using var socket = await listener.AcceptSocketAsync();
                byte[] buffer = new byte[65536];
                int n;
                while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
                {
                    await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
                }

                socket.Shutdown(SocketShutdown.Send);
            });
        }

        public static implicit operator TcpListener(Echo echo) => echo.listener;

        public void Dispose() => listener.Stop();
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Streamer.Tests.Support;

namespace Streamer.Tests.Protocol.Hosting;

/// <summary>
/// Attack sockets for the limit tests: idle connections, half-hellos, from chosen loopback source addresses
/// (Linux routes all of 127.0.0.0/8 to the loopback interface, so 127.0.0.2… stand for other hosts).
/// </summary>
internal sealed class HostileSockets : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<Socket> _sockets = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sockets.Count;
            }
        }
    }

    /// <summary>127.0.0.(2 + i % count): <paramref name="count"/> other hosts.</summary>
    public static IPAddress OtherHost(int i, int count) => IPAddress.Parse("127.0.0." + (2 + (i % count)).ToString(CultureInfo.InvariantCulture));

    /// <summary>The first 10 bytes of a valid hello: the length prefix promises more that never comes.</summary>
    public static byte[] HalfHello { get; } = RawPeer.Hello()[..10];

    /// <summary>Connects from <paramref name="from"/> and sends <paramref name="bytes"/> (nothing: an idle socket); the socket stays open.</summary>
    public async Task<Socket> OpenAsync(int port, IPAddress from, byte[]? bytes = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(from, 0));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            if (bytes is { Length: > 0 })
            {
                await socket.SendAsync(bytes, SocketFlags.None);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        lock (_lock)
        {
            _sockets.Add(socket);
        }

        return socket;
    }

    /// <summary>
    /// Opens <paramref name="count"/> sockets, a few at a time (the listen backlog is finite). A socket the server
    /// resets at once (evicted to make room) is part of the attack going as the server wants: not an error.
    /// </summary>
    public async Task OpenManyAsync(int port, int count, Func<int, IPAddress> from, byte[]? bytes = null)
    {
        using var gate = new SemaphoreSlim(32);
        var opening = new List<Task>(count);
        for (int i = 0; i < count; i++)
        {
            await gate.WaitAsync();
            var address = from(i);
            opening.Add(Task.Run(async () =>
            {
                try
                {
                    await OpenAsync(port, address, bytes);
                }
                catch (SocketException)
                {
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(opening);
    }

    /// <summary>True when the server has closed <paramref name="socket"/> (end of stream or reset) within <paramref name="timeout"/>.</summary>
    public static async Task<bool> ClosedByServerAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True while the server keeps <paramref name="socket"/> open (no end of stream, no reset, nothing to read).</summary>
    public static bool StillOpen(Socket socket) => !socket.Poll(0, SelectMode.SelectRead);

    /// <summary>Closes every socket (abortively, so nothing lingers in TIME_WAIT on our side).</summary>
    public void CloseAll()
    {
        Socket[] all;
        lock (_lock)
        {
            all = [.. _sockets];
            _sockets.Clear();
        }

        foreach (var socket in all)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (SocketException)
            {
            }

            socket.Dispose();
        }
    }

    public void Dispose() => CloseAll();
}

using System.Net;
using System.Net.Sockets;

namespace Streamer.Tests.Support;

/// <summary>
/// A loopback "server" that answers every client with fixed bytes (after reading what the client sent first),
/// then holds the connection open until disposed: a hostile or foreign server for client tests.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _accepting;

    public ScriptedServer(byte[] reply, bool closeAfterReply = false)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(reply, closeAfterReply);
    }

    public int Port { get; }

    private async Task AcceptAsync(byte[] reply, bool closeAfterReply)
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_clients)
                {
                    _clients.Add(client);
                }

                _ = ServeAsync(client, reply, closeAfterReply);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client, byte[] reply, bool closeAfterReply)
    {
        try
        {
            var stream = client.GetStream();
            var first = new byte[4096];
            _ = await stream.ReadAsync(first, _stop.Token);
            await stream.WriteAsync(reply, _stop.Token);
            if (closeAfterReply)
            {
                client.Client.Shutdown(SocketShutdown.Send);
            }

            // Hold the connection (reading and discarding) until the client leaves or the test ends.
            while (await stream.ReadAsync(first, _stop.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        _stop.Dispose();
    }
}

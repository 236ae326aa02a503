using System.Net;
using System.Net.Sockets;

namespace Streamer.Tests.Probe;

/// <summary>
/// A loopback listener that never accepts and whose accept queue is full, so Linux drops further SYNs and a
/// connect to it never completes: a "timed out" target without leaving the machine.
/// </summary>
internal sealed class BacklogFullListener : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _fillers = [];

    public BacklogFullListener()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(0);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        for (int i = 0; i < 16; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                filler.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), cts.Token).AsTask().GetAwaiter().GetResult();
                _fillers.Add(filler);
            }
            catch (OperationCanceledException)
            {
                filler.Dispose();
                return;
            }
        }

        throw new InvalidOperationException("could not fill the listener's accept queue");
    }

    public int Port { get; }

    public void Dispose()
    {
        foreach (var filler in _fillers)
        {
            filler.Dispose();
        }

        _listener.Dispose();
    }
}

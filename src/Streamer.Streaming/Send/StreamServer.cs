using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Protocol.Hosting;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Streaming.Send;

/// <summary>Runs a <see cref="ServerSession"/> for each client the shared <see cref="ConnectionHost"/> admits.</summary>
public sealed class StreamServer : IAsyncDisposable
{
    private readonly ConnectionHost _host;
    private readonly PacingClock? _clock;

    /// <summary>Binds at once, so a port in use fails here with a <see cref="SocketException"/>.</summary>
    public StreamServer(string host, int port, FrameSourceFactory sources, StreamServerOptions options, ILoggerFactory loggers)
        : this(new SocketListener(host, port, options.Limits.Backlog, options.Limits.Connection, loggers.CreateLogger("Streamer.Server")), sources, options, loggers)
    {
    }

    /// <summary>Serves what <paramref name="listener"/> accepts (any transport: the tests use the memory one); disposing the server disposes it.</summary>
    public StreamServer(IConnectionListener listener, FrameSourceFactory sources, StreamServerOptions options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Streamer.Server");
        var sessionLogger = loggers.CreateLogger("Streamer.Session");
        if (options.Pacing == PacingMode.Realtime)
        {
            // A tick per frame (the period its sessions' packetizers produce); they send every frame that has fallen due.
            _clock = new PacingClock();
        }

        try
        {
            _host = new ConnectionHost(
                listener,
                options.Limits,
                connection => new ServerSession(connection, sources, options, _clock, sessionLogger),
                "the server has too many clients; try again later",
                logger);
        }
        catch
        {
            _clock?.Dispose();
            _ = listener.DisposeAsync();
            throw;
        }

        StreamingLog.Listening(logger, _host.LocalEndPoint);
    }

    /// <summary>The socket address served (for a server made with a host and port).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_host.LocalEndPoint;

    /// <summary>Clients past their hello.</summary>
    public int ActiveSessions => _host.Sessions;

    /// <summary>Accepts clients until cancelled, then stops every session and waits for them.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _host.AcceptAsync(cancellationToken);
        await _host.StopAsync();

        // Sessions may finish on the pacing clock's thread; teardown must not run there.
        await Task.Yield();
    }

    /// <summary>Disposes the connection host (closing the listener) and the pacing clock.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _clock?.Dispose();
    }
}

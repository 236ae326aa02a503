using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Protocol;
using Streamer.Transport;

namespace Streamer.Streaming.Send;

/// <summary>Accepts clients and runs a <see cref="ServerSession"/> for each, up to a bound.</summary>
internal sealed class StreamServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly FrameSourceFactory _sources;
    private readonly StreamServerOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly PacingClock? _clock;
    private readonly HashSet<Task> _sessions = [];
    private readonly Lock _sessionsLock = new();

    /// <summary>Binds at once, so a port in use fails here with a <see cref="SocketException"/>.</summary>
    public StreamServer(string host, int port, FrameSourceFactory sources, StreamServerOptions options, ILoggerFactory loggers)
    {
        _listener = TcpListenerFactory.Listen(host, port);
        _sources = sources;
        _options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Streamer.Server");
        if (options.Pacing == PacingMode.Realtime)
        {
            // A tick per frame, at most 20 ms apart; the sessions send every frame that has fallen due.
            _clock = new PacingClock(TimeSpan.FromMilliseconds(Math.Clamp(sources.Options.FrameMilliseconds, 2.5, 20)));
        }

        StreamingLog.Listening(_logger, _listener.LocalEndPoint);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public int ActiveSessions
    {
        get
        {
            lock (_sessionsLock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Accepts clients until cancelled or disposed.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var sessionLogger = _loggers.CreateLogger("Streamer.Session");
        while (!linked.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(linked.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException)
            {
                continue;
            }

            var connection = new SocketConnection(socket, _options.Connection, sessionLogger);
            connection.Start();
            if (ActiveSessions >= _options.MaxClients)
            {
                StreamingLog.ServerFull(_logger, connection.RemoteEndPoint, _options.MaxClients);
                _ = RefuseAsync(connection);
                continue;
            }

            var session = new ServerSession(connection, _sources, _options, _clock, sessionLogger);
            Track(session.RunAsync(linked.Token));
        }

        Task[] remaining;
        lock (_sessionsLock)
        {
            remaining = [.. _sessions];
        }

        await Task.WhenAll(remaining);

        // Sessions may finish on the pacing clock's thread; teardown must not run there.
        await Task.Yield();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        _stopping.Dispose();
        _clock?.Dispose();
    }

    private void Track(Task session)
    {
        lock (_sessionsLock)
        {
            _sessions.Add(session);
        }

        session.ContinueWith(
            (t, state) =>
            {
                var self = (StreamServer)state!;
                lock (self._sessionsLock)
                {
                    self._sessions.Remove(t);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static async Task RefuseAsync(SocketConnection connection)
    {
        using var sender = new FrameSender(connection.Output);
        await sender.SendAsync(new ErrorMessage("server-full", "the server has too many clients; try again later"));
        await connection.DisposeAsync();
    }
}

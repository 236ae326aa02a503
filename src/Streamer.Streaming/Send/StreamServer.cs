using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Protocol.Hosting;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Streaming.Send;

/// <summary>
/// Runs a <see cref="ServerSession"/> for each client the shared <see cref="ConnectionHost"/> admits: each with its own
/// pass over the source (<see cref="StreamMode.OnDemand"/>) or as a listener of one <see cref="Send.Broadcast"/>.
/// </summary>
public sealed class StreamServer : IAsyncDisposable
{
    /// <summary>How long listeners get to take their end of stream before a finished broadcast's server stops.</summary>
    private static readonly TimeSpan DrainAfterEnd = TimeSpan.FromSeconds(10);

    private readonly ConnectionHost _host;
    private readonly PacingClock? _clock;
    private readonly Status.ListenerRegistry _listeners = new();
    private readonly StallWatchdog _watchdog;
    private readonly string _codecName;

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

        _codecName = sources.Codec.Name;
        // A client that takes nothing for this long is cut off, freeing its session.
        _watchdog = new StallWatchdog(options.StallTimeout);
        ISessionStream stream;
        if (options.Mode == StreamMode.Broadcast)
        {
            Broadcast = new Broadcast(sources, options.Broadcast, _clock, loggers.CreateLogger("Streamer.Broadcast"), options.LatencyFor(StreamMode.Broadcast));
            stream = Broadcast;
        }
        else
        {
            stream = new OnDemandStream(sources, options, _clock);
        }

        try
        {
            _host = new ConnectionHost(
                listener,
                options.Limits,
                connection => new ServerSession(connection, stream, options, sessionLogger, _watchdog, _listeners),
                "the server has too many clients; try again later",
                logger);
        }
        catch
        {
            _clock?.Dispose();
            _watchdog.Dispose();
            _ = listener.DisposeAsync();
            throw;
        }

        StreamingLog.Listening(logger, _host.LocalEndPoint);
    }

    /// <summary>The socket address served (for a server made with a host and port).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_host.LocalEndPoint;

    /// <summary>Clients past their hello.</summary>
    public int ActiveSessions => _host.Sessions;

    /// <summary>The protocol listeners streaming now, with what each last reported (for status pages).</summary>
    public IReadOnlyList<Status.ListenerSnapshot> SnapshotListeners() => _listeners.Snapshot();

    /// <summary>The stream's codec name (what every listener gets).</summary>
    public string CodecName => _codecName;

    /// <summary>The broadcast's stream info once its input is open, else null (on demand, or not started yet).</summary>
    public Protocol.StreamInfoMessage? BroadcastInfo => Broadcast is { Started.IsCompleted: true, Failure: null } b ? b.Info : null;

    /// <summary>The broadcast's state: "starting", "live", "stalled" or "ended"; null on demand.</summary>
    public string? BroadcastState => Broadcast switch
    {
        null => null,
        { Ended: true } => "ended",
        { Started.IsCompleted: false } => "starting",
        { IsStalled: true } => Protocol.StatusMessage.Stalled,
        _ => Protocol.StatusMessage.Live,
    };

    /// <summary>The shared stream, in <see cref="StreamMode.Broadcast"/>; null on demand.</summary>
    internal Broadcast? Broadcast { get; }

    /// <summary>
    /// Accepts clients until cancelled (or, for a broadcast, until its input ends and its listeners have their end of
    /// stream), then stops every session and waits for them.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Broadcast is null)
        {
            await _host.AcceptAsync(cancellationToken);
        }
        else
        {
            using var stopAccepting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var accepting = _host.AcceptAsync(stopAccepting.Token);
            await Broadcast.RunAsync(cancellationToken);
            // The input ended: every listener is sending its last frames and its end of stream. Newcomers would get
            // nothing but an end; stop taking them, and give the listeners their time.
            await stopAccepting.CancelAsync();
            await accepting;
            var drained = Task.Run(async () =>
            {
                while (_host.Sessions > 0 && !cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(50, CancellationToken.None);
                }
            }, CancellationToken.None);
            await drained.WaitAsync(DrainAfterEnd, CancellationToken.None).ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        await _host.StopAsync();

        // Sessions may finish on the pacing clock's thread; teardown must not run there.
        await Task.Yield();
    }

    /// <summary>Disposes the connection host (closing the listener) and the pacing clock.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _clock?.Dispose();
        _watchdog.Dispose();
    }
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Streamer.Media.Codecs;
using Streamer.Protocol;
using Streamer.Protocol.Threading;
using Streamer.Transport;
using Wav = Streamer.Media.Containers.Wav;

namespace Streamer.Streaming.Send;

/// <summary>
/// One client of the audio server: hello, stream info, paced audio, end of stream. A receive loop runs beside the
/// sender to answer pings and notice the client leaving.
/// </summary>
internal sealed class ServerSession
{
    private static readonly TimeSpan LingerAfterEnd = TimeSpan.FromSeconds(5);

    private readonly SocketConnection _connection;
    private readonly PacingClock? _clock;
    private readonly FrameSourceFactory _sources;
    private readonly StreamServerOptions _options;
    private readonly ILogger _logger;
    private readonly FrameReader _reader;
    private readonly FrameSender _sender;
    private long _framesSent;
    private long _bytesSent;
    private long _framesDropped;
    private long _sendStartedTicks;
    private volatile bool _outputClosed;

    public ServerSession(SocketConnection connection, FrameSourceFactory sources, StreamServerOptions options, PacingClock? clock, ILogger logger)
    {
        _clock = clock;
        _connection = connection;
        _sources = sources;
        _options = options;
        _logger = logger;
        _reader = new FrameReader(connection.Input, options.Connection.MaxFrameLength);
        _sender = new FrameSender(connection.Output);
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var remote = _connection.RemoteEndPoint;
        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            var serverHello = new HelloMessage(ProtocolVersion.Current, "server", Handshake.Agent, [.. CodecRegistry.Default.Names]);
            var hello = await Handshake.AcceptAsync(_reader, _sender, serverHello, _options.HandshakeTimeout, sessionCts.Token);
            StreamingLog.ClientConnected(_logger, remote, hello.Role, hello.Agent);
            var receiving = ReceiveLoopAsync(sessionCts);
            var watchdog = WatchForStallAsync(sessionCts.Token);
            if (hello.Role != "probe")
            {
                await StreamAsync(sessionCts.Token);
                StreamingLog.ClientFinished(_logger, remote, _framesSent, _bytesSent, _framesDropped);

                // Half-close after the last frame: the client reads to the end, then hangs up in its own time.
                // Meanwhile the receive loop keeps reading (pings go unanswered): closing with unread input
                // would reset the connection and could destroy data the client has not read yet.
                _outputClosed = true;
                await _sender.CompleteAsync();
                try
                {
                    await receiving.WaitAsync(LingerAfterEnd, CancellationToken.None);
                }
                catch (TimeoutException)
                {
                    await sessionCts.CancelAsync();
                }
            }

            await receiving;
            await sessionCts.CancelAsync();
            await watchdog;
        }
        catch (ProtocolException ex)
        {
            StreamingLog.ClientDropped(_logger, remote, ex.Message);
            _connection.Abort();
        }
        catch (PeerClosedException ex)
        {
            StreamingLog.ClientHungUp(_logger, remote, ex.Message);
        }
        catch (ConnectionResetException ex)
        {
            StreamingLog.ClientHungUp(_logger, remote, ex.Message);
        }
        catch (RemoteErrorException ex)
        {
            StreamingLog.ClientDropped(_logger, remote, "it sent an error: " + ex.Message);
        }
        catch (ClientGoneException)
        {
            StreamingLog.ClientLeft(_logger, remote, _framesSent);
        }
        catch (OperationCanceledException) when (sessionCts.IsCancellationRequested)
        {
            if (!stopping.IsCancellationRequested)
            {
                StreamingLog.ClientLeft(_logger, remote, _framesSent);
            }
        }
        catch (Exception ex) when (ex is IOException or CodecException or Wav.InvalidWavException)
        {
            StreamingLog.SessionFailed(_logger, ex, remote);
            await TrySendErrorAsync("server-error", ex.Message);
        }
        finally
        {
            _sender.Dispose();
            await _connection.DisposeAsync();
        }
    }

    private async Task StreamAsync(CancellationToken cancellationToken)
    {
        var clock = _clock;
        // PCM sessions run inline on the clock's thread (no extra wake-up; a PCM frame costs microseconds). Encoding
        // sessions hop to the thread pool, so one client's encoder never delays another client's tick.
        var tick = new AsyncSignal(runContinuationsAsynchronously: _sources.Codec is not PcmCodec);
        using var wakeOnCancel = cancellationToken.UnsafeRegister(static s => ((AsyncSignal)s!).Set(), tick);
        clock?.Subscribe(tick);
        try
        {
            long startTicks = Stopwatch.GetTimestamp();
            if (clock is not null)
            {
                // Start on a tick, so frames fall due exactly on ticks.
                await tick.WaitAsync();
                startTicks = clock.LastTick;
            }

            await StreamFromSourcesAsync(clock is null ? null : tick, startTicks, cancellationToken);
        }
        finally
        {
            clock?.Unsubscribe(tick);
        }
    }

    private async Task StreamFromSourcesAsync(AsyncSignal? tick, long startTicks, CancellationToken cancellationToken)
    {
        uint sequence = 0;
        ulong timestamp = 0;
        bool first = true;
        do
        {
            await using var source = await _sources.OpenAsync(cancellationToken);
            if (first)
            {
                // A looping stream has no end: announce its length as unknown, or receivers would trim it to one pass.
                var info = _options.Loop ? source.Info with { TotalSamples = -1 } : source.Info;
                await SendOrThrowAsync(_sender.SendAsync(info, cancellationToken));
                first = false;
            }

            double rate = source.Info.SampleRate;
            while (await source.MoveNextAsync(cancellationToken))
            {
                if (tick is not null)
                {
                    double dueSeconds = timestamp / rate;
                    while (Stopwatch.GetElapsedTime(startTicks).TotalSeconds < dueSeconds)
                    {
                        await tick.WaitAsync();
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    double lagSeconds = Stopwatch.GetElapsedTime(startTicks).TotalSeconds - dueSeconds;
                    if (lagSeconds > _options.MaxLag.TotalSeconds)
                    {
                        // The client cannot keep up: skip this frame so the stream stays live and memory bounded.
                        _framesDropped++;
                        StreamingLog.DroppedToCatchUp(_logger, _connection.RemoteEndPoint, lagSeconds * 1000, 1);
                        sequence++;
                        timestamp += (ulong)source.CurrentSamples;
                        continue;
                    }
                }

                long length = source.Current.Length;
                Volatile.Write(ref _sendStartedTicks, Stopwatch.GetTimestamp());
                await SendOrThrowAsync(_sender.SendAudioAsync(sequence, timestamp, source.Current, flush: tick is not null, cancellationToken));
                Volatile.Write(ref _sendStartedTicks, 0);
                _framesSent++;
                _bytesSent += length;
                sequence++;
                timestamp += (ulong)source.CurrentSamples;
            }
        }
        while (_options.Loop && !cancellationToken.IsCancellationRequested);

        await SendOrThrowAsync(_sender.SendAsync(new EndOfStreamMessage(sequence, (long)timestamp), cancellationToken));
    }

    private async Task ReceiveLoopAsync(CancellationTokenSource session)
    {
        try
        {
            while (true)
            {
                var outcome = await _reader.ReadAsync(session.Token);
                if (outcome == FrameReadOutcome.End)
                {
                    // The client is done (or gone): stop streaming to it.
                    await session.CancelAsync();
                    return;
                }

                if (outcome != FrameReadOutcome.Frame)
                {
                    StreamingLog.ClientDropped(_logger, _connection.RemoteEndPoint, Describe(outcome));
                    _connection.Abort();
                    await session.CancelAsync();
                    return;
                }

                var header = _reader.Current.Header;
                if (header.Kind == FrameKind.Ping && !_outputClosed)
                {
                    await _sender.SendAsync(new PongMessage(header.SendTimeUs, WallClock.NowMicroseconds()), session.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // The connection broke, or a ping came after our side was already closed.
            await session.CancelAsync();
        }
    }

    /// <summary>A client that takes nothing for <see cref="StreamServerOptions.StallTimeout"/> is cut off, freeing its session.</summary>
    private async Task WatchForStallAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                long started = Volatile.Read(ref _sendStartedTicks);
                if (started != 0 && Stopwatch.GetElapsedTime(started) > _options.StallTimeout)
                {
                    StreamingLog.ClientDropped(_logger, _connection.RemoteEndPoint, $"took no data for {_options.StallTimeout.TotalSeconds:0.#} s");
                    _connection.Abort();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private string Describe(FrameReadOutcome outcome) => outcome switch
    {
        FrameReadOutcome.TooLarge => $"announced a frame of {_reader.AnnouncedLength} bytes (limit {_options.Connection.MaxFrameLength})",
        FrameReadOutcome.Malformed => "sent a malformed frame header",
        FrameReadOutcome.Truncated => "closed the connection in the middle of a frame",
        _ => outcome.ToString(),
    };

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask SendOrThrowAsync(ValueTask<bool> send)
    {
        if (!await send)
        {
            throw new ClientGoneException();
        }
    }

    private async Task TrySendErrorAsync(string code, string message)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await _sender.SendAsync(new ErrorMessage(code, message), cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
        }
    }

    private sealed class ClientGoneException : Exception
    {
    }
}

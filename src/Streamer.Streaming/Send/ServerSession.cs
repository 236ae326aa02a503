using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Wav;
using Streamer.Protocol.ClockSync;
using Streamer.Protocol.Hosting;
using Streamer.Protocol.Threading;
using Streamer.Protocol;
using Streamer.Transport;

namespace Streamer.Streaming.Send;

/// <summary>
/// One client of the audio server: hello, stream info, paced audio, end of stream. A receive loop runs beside the
/// sender to answer pings and notice the client leaving.
/// </summary>
internal sealed class ServerSession : IHostedConnection
{
    private static readonly TimeSpan LingerAfterEnd = TimeSpan.FromSeconds(5);

    private readonly IConnection _connection;
    private readonly PacingClock? _clock;
    private readonly FrameSourceFactory _sources;
    private readonly StreamServerOptions _options;
    private readonly ILogger _logger;
    private readonly FrameReader _reader;
    private readonly FrameSender _sender;
    private long _framesSent;
    private long _samplesSent;
    private long _bytesSent;
    private long _framesDropped;
    private long _sendStartedTicks;
    private volatile bool _outputClosed;
    private HelloMessage? _hello;

    public ServerSession(IConnection connection, FrameSourceFactory sources, StreamServerOptions options, PacingClock? clock, ILogger logger)
    {
        _clock = clock;
        _connection = connection;
        _sources = sources;
        _options = options;
        _logger = logger;
        _reader = new FrameReader(connection.Input, options.Connection.MaxFrameLength, options.MinFrameDataRate);
        _sender = new FrameSender(connection.Output);
    }

    /// <summary>Phase 1, in the host's pending pool: reads and checks the client's hello; the answer waits for a slot.</summary>
    public async Task<bool> AcceptHelloAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var remote = _connection.RemoteEndPoint;
        try
        {
            _hello = await Handshake.AcceptAsync(_connection, _reader, _sender, null, timeout, cancellationToken);
            return true;
        }
        catch (HandshakeRefusedException ex)
        {
            // The client has been told why and has had its chance to read it: no reset.
            StreamingLog.ClientDropped(_logger, remote, "refused: " + ex.Message);
        }
        catch (ProtocolException ex)
        {
            StreamingLog.ClientDropped(_logger, remote, ex.Message);
            if (_reader.Foreign == ForeignProtocol.HttpRequest)
            {
                // A browser or curl: say in its own protocol what this port is.
                await ForeignProtocols.AnswerHttpAsync(_connection, "audio", "streamer play HOST:PORT");
            }
            else
            {
                _connection.Abort();
            }
        }
        catch (IOException ex)
        {
            StreamingLog.ClientHungUp(_logger, remote, ex.Message);
        }
        catch (RemoteErrorException ex)
        {
            StreamingLog.ClientDropped(_logger, remote, "it sent an error: " + ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return false;
    }

    /// <summary>No slot for this client: the error frame replaces our hello.</summary>
    public Task RefuseAsync(string code, string message) => Refusal.SendAsync(_connection, _sender, _reader, code, message);

    /// <summary>Phase 2, in a slot: answers the hello and streams.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var remote = _connection.RemoteEndPoint;
        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var watchdog = Task.CompletedTask;
        try
        {
            var hello = _hello ?? throw new InvalidOperationException("the session ran before its hello was accepted");
            var serverHello = new HelloMessage(ProtocolVersion.Current, "server", Handshake.Agent, [.. CodecRegistry.Default.Names]);
            await _sender.SendAsync(serverHello, sessionCts.Token);
            StreamingLog.ClientConnected(_logger, remote, PeerText.ForDisplay(hello.Role), PeerText.ForDisplay(hello.Agent));
            if (ClientAdmission.Refusal(hello, _sources.Codec.Name) is { } refusal)
            {
                // After our hello (the client knows whom it reached), like the chat server's wrong-role and bad-name.
                StreamingLog.ClientDropped(_logger, remote, "refused: " + PeerText.ForDisplay(refusal.Message));
                await Refusal.SendAsync(_connection, _sender, _reader, refusal.Code, refusal.Message);
                return;
            }

            bool probe = hello.Role == "probe";
            // A listener is bounded by its stream (and the stall watchdog); a probe only by its pings, so it gets an
            // idle deadline instead.
            var receiving = ReceiveLoopAsync(sessionCts, probe ? _options.ProbeIdleTimeout : null);
            watchdog = WatchForStallAsync(sessionCts.Token);
            if (!probe)
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
        catch (FrameRateException ex)
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
        catch (Exception ex) when (ex is IOException or CodecException or InvalidWavException)
        {
            StreamingLog.SessionFailed(_logger, remote, ex.Message);
            StreamingLog.SessionFailedDetail(_logger, ex, remote);
            await TrySendErrorAsync("server-error", ex.Message);
        }
        finally
        {
            // However the session ends, its watchdog ends with it: a timer left ticking for a dead session would
            // keep an idle server busy for good.
            await sessionCts.CancelAsync();
            await watchdog;
            _sender.Dispose();
            await _connection.DisposeAsync();
        }
    }

    private async Task StreamAsync(CancellationToken cancellationToken)
    {
        var clock = _clock;
        // PCM sessions run inline on the clock's thread (no extra wake-up; a PCM frame costs microseconds). Encoding
        // sessions hop to the thread pool, so one client's encoder never delays another client's tick.
        var tick = new AsyncSignal(runContinuationsAsynchronously: !_sources.SendsRawPcm);
        using var wakeOnCancel = cancellationToken.UnsafeRegister(static s => ((AsyncSignal)s!).Set(), tick);
        // Until the source is open the frame duration is unknown: the clock's slowest period meanwhile.
        clock?.Subscribe(tick, PacingClock.MaxPeriod);
        try
        {
            long startTicks = Stopwatch.GetTimestamp();
            if (clock is not null)
            {
                // Start on a tick, so frames fall due exactly on ticks.
                await tick.WaitAsync();
                startTicks = clock.LastTick;
            }

            var first = await _sources.OpenAsync(cancellationToken);
            // The clock ticks at the frame duration the packetizer actually produces.
            clock?.Subscribe(tick, first.FrameDuration);
            await StreamFromSourcesAsync(first, clock is null ? null : tick, startTicks, cancellationToken);
        }
        finally
        {
            clock?.Unsubscribe(tick);
        }
    }

    /// <summary>
    /// Sends <paramref name="first"/>'s frames (then, with <c>--loop</c>, those of a fresh packetizer per pass) and the
    /// end of stream; disposes every packetizer it sends from.
    /// </summary>
    private async Task StreamFromSourcesAsync(IPacketizer first, AsyncSignal? tick, long startTicks, CancellationToken cancellationToken)
    {
        uint sequence = 0;
        ulong timestamp = 0;
        IPacketizer? next = first;
        // Presentation times only for a paced stream: one sent as fast as possible has no "now" to schedule from.
        var stamp = tick is not null && _options.Latency is { } latency ? new PresentationStamp(latency, first.Info.SampleRate) : null;
        do
        {
            await using var source = next ?? await _sources.OpenAsync(cancellationToken);
            if (next is not null)
            {
                // A looping stream has no end: announce its length as unknown, or receivers would trim it to one pass.
                var info = _options.Loop ? source.Info with { TotalSamples = -1 } : source.Info;
                await SendOrThrowAsync(_sender.SendAsync(info, cancellationToken));
                next = null;
            }

            if (stamp is not null)
            {
                source.StampWith(stamp);
            }

            double rate = source.Info.SampleRate;
            var content = new SourceContent(timestamp, source.Info);
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
                await SendOrThrowAsync(_sender.SendAudioAsync(sequence, timestamp, source.CurrentPresentationTimeUs, source.Current, flush: tick is not null, cancellationToken));
                Volatile.Write(ref _sendStartedTicks, 0);
                _framesSent++;
                _samplesSent += content.SamplesIn(timestamp, source.CurrentSamples);
                _bytesSent += length;
                sequence++;
                timestamp += (ulong)source.CurrentSamples;
            }
        }
        while (_options.Loop && !cancellationToken.IsCancellationRequested);

        // What this client got (skipped frames excluded), and the stream's length for concealing a skipped tail.
        await SendOrThrowAsync(_sender.SendAsync(new EndOfStreamMessage(_framesSent, _samplesSent, sequence), cancellationToken));
    }

    private async Task ReceiveLoopAsync(CancellationTokenSource session, TimeSpan? idleTimeout)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(session.Token);
        try
        {
            while (true)
            {
                if (idleTimeout is { } timeout)
                {
                    // Re-armed by every frame: only silence runs it out.
                    idle.CancelAfter(timeout);
                }

                FrameReadOutcome outcome;
                try
                {
                    outcome = await _reader.ReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!session.IsCancellationRequested && idleTimeout is not null)
                {
                    StreamingLog.ClientDropped(_logger, _connection.RemoteEndPoint, string.Create(CultureInfo.InvariantCulture, $"a probe that sent nothing for {idleTimeout.Value.TotalSeconds:0.#} s"));
                    _connection.Abort();
                    await session.CancelAsync();
                    return;
                }

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
                    await PingAnswer.SendAsync(_sender, header, session.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (FrameRateException ex)
        {
            StreamingLog.ClientDropped(_logger, _connection.RemoteEndPoint, ex.Message);
            _connection.Abort();
            await session.CancelAsync();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // The connection broke, or a ping came after our side was already closed.
            await session.CancelAsync();
        }
#pragma warning disable CA1031 // Whatever a peer's bytes make the loop throw must end this session, not leave it streaming blind.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            StreamingLog.ReceiveFailed(_logger, _connection.RemoteEndPoint, ex.Message);
            StreamingLog.ReceiveFailedDetail(_logger, ex, _connection.RemoteEndPoint);
            _connection.Abort();
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

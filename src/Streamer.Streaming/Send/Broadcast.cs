using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Wav;
using Streamer.Protocol;
using Streamer.Protocol.Threading;
using Streamer.Streaming.Metrics;

namespace Streamer.Streaming.Send;

/// <summary>
/// One shared stream (<c>--mode broadcast</c>, every live input): ONE reader of the source and ONE packetizer (one
/// encoder) fill a <see cref="FrameRing"/> with encoded frames, and every listener (<see cref="BroadcastListener"/>)
/// sends those same bytes from its own cursor. The producer never waits for a listener: it publishes, then hands the
/// new frame at once to every listener that keeps up (one non-blocking send each, straight from the ring: the fan-out)
/// and wakes the others, which catch up through their connection's queue.
/// End of input ends every listener's stream; an input that stops delivering is announced as stalled.
/// </summary>
internal sealed class Broadcast : ISessionStream, Http.IFrameFeed
{
    private readonly FrameSourceFactory _sources;
    private readonly BroadcastOptions _options;
    private readonly PacingClock? _clock;
    private readonly TimeSpan? _latency;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly Subscribers<AsyncSignal> _feeds = new();
    private readonly Subscribers<BroadcastListener> _members = new();
    private long _framesSentAtOnce;
    private FrameRing _ring = new(2);
    private StreamInfoMessage? _info;
    private long _lastFrameTicks;
    private long _stalledSinceTicks;
    private int _statusVersion;
    private volatile bool _stalled;
    private volatile bool _ended;
    private volatile string? _failure;
    private long _endSequence;

    /// <param name="clock">Paces the input when <see cref="BroadcastOptions.PaceByEngine"/>; the server's shared clock.</param>
    /// <param name="sources">Opens the one source and its packetizer.</param>
    /// <param name="options">Burst, lag, stall and pacing settings.</param>
    /// <param name="logger">Where the broadcast's events go.</param>
    /// <param name="latency">Capture to playout: frames carry presentation times (synchronized playout); null: none.</param>
    public Broadcast(FrameSourceFactory sources, BroadcastOptions options, PacingClock? clock, ILogger logger, TimeSpan? latency = null)
    {
        _latency = latency;
        _sources = sources;
        _options = options;
        _clock = options.PaceByEngine ? clock : null;
        _logger = logger;
    }

    public string CodecName => _sources.Codec.Name;

    /// <summary>Completes once the source is open (or failed to open): the ring and the stream info exist from then on.</summary>
    public Task Started => _started.Task;

    /// <summary>The stream info every listener gets (the length is always unknown: a listener joins mid-stream).</summary>
    public StreamInfoMessage Info => _info ?? throw new InvalidOperationException("the broadcast has not started");

    public FrameRing Ring => _ring;

    /// <summary>Frames of burst a joining listener gets.</summary>
    public int BurstFrames { get; private set; }

    /// <summary>Frames a listener may fall behind before it skips to the live edge.</summary>
    public int MaxLagFrames { get; private set; }

    /// <summary>Changes whenever a status frame is due (a change of state, or a repeat while stalled).</summary>
    public int StatusVersion => Volatile.Read(ref _statusVersion);

    public bool IsStalled => _stalled;

    /// <summary>True once the input has ended (or failed): no frame after <see cref="EndSequence"/> will come.</summary>
    public bool Ended => _ended;

    /// <summary>The sequence number after the last frame, once <see cref="Ended"/>.</summary>
    public long EndSequence => Volatile.Read(ref _endSequence);

    /// <summary>Why the input failed, or null.</summary>
    public string? Failure => _failure;

    /// <summary>Listeners subscribed now (protocol listeners and the web's feeds).</summary>
    public int Listeners => _members.Current.Length + _feeds.Current.Length;

    /// <summary>Frames the fan-out sent at once (straight from the ring on the producer's thread) rather than through a
    /// listener's queue: nearly all of them when every listener keeps up.</summary>
    public long FramesSentAtOnce => Volatile.Read(ref _framesSentAtOnce);

    public Task SendAsync(SessionOutput output, CancellationToken cancellationToken)
        => new BroadcastListener(this, output).RunAsync(cancellationToken);

    /// <summary>
    /// Reads, encodes and publishes the input until it ends, fails or <paramref name="cancellationToken"/> is
    /// cancelled; every listener is told. Never throws for the input's failures: they end the broadcast (logged).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var monitorStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var monitor = Task.CompletedTask;
        try
        {
            await using var packetizer = await _sources.OpenAsync(cancellationToken);
            Open(packetizer);
            monitor = MonitorAsync(monitorStop.Token);
            await ProduceAsync(packetizer, cancellationToken);
            BroadcastLog.InputEnded(_logger, EndSequence);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or CodecException or InvalidWavException)
        {
            _failure = ex.Message;
            BroadcastLog.InputFailed(_logger, ex.Message);
        }
        finally
        {
            _ended = true;
            _started.TrySetResult();
            WakeAll();
            await monitorStop.CancelAsync();
            await monitor;
        }
    }

    public void Add(AsyncSignal listener) => _feeds.Add(listener);

    public void Remove(AsyncSignal listener) => _feeds.Remove(listener);

    /// <summary>A protocol listener joins the fan-out: it is offered each new frame, and woken when it cannot take it.</summary>
    internal void Join(BroadcastListener listener) => _members.Add(listener);

    internal void Leave(BroadcastListener listener) => _members.Remove(listener);

    private void Open(IPacketizer packetizer)
    {
        // Listeners join mid-stream, so none can know where it ends: the length is announced as unknown.
        _info = packetizer.Info with { TotalSamples = -1 };
        double frameSeconds = packetizer.FrameDuration.TotalSeconds;
        BurstFrames = (int)Math.Ceiling(_options.Burst.TotalSeconds / frameSeconds);
        MaxLagFrames = Math.Max(1, (int)Math.Ceiling(_options.MaxLag.TotalSeconds / frameSeconds));
        // Room for the burst or the lag allowed, whichever is longer, and slack so a listener at its limit is
        // never lapped while it copies.
        _ring = new FrameRing(Math.Max(BurstFrames, MaxLagFrames) + 16);
        Volatile.Write(ref _lastFrameTicks, Stopwatch.GetTimestamp());
        _started.TrySetResult();
    }

    private async Task ProduceAsync(IPacketizer packetizer, CancellationToken cancellationToken)
    {
        var clock = _clock;
        // PCM runs inline on the clock's thread; an encoder hops to the thread pool so it never delays the clock.
        var tick = new AsyncSignal(runContinuationsAsynchronously: !_sources.SendsRawPcm);
        using var wakeOnCancel = cancellationToken.UnsafeRegister(static s => ((AsyncSignal)s!).Set(), tick);
        clock?.Subscribe(tick, packetizer.FrameDuration);
        try
        {
            long startTicks = Stopwatch.GetTimestamp();
            if (clock is not null)
            {
                await tick.WaitAsync();
                startTicks = clock.LastTick;
            }

            if (_latency is { } latency)
            {
                // One stamp for the whole broadcast: every listener gets the same presentation times.
                packetizer.StampWith(new PresentationStamp(latency, packetizer.Info.SampleRate));
            }

            double rate = packetizer.Info.SampleRate;
            var content = new SourceContent(0, packetizer.Info);
            uint sequence = 0;
            ulong timestamp = 0;
            while (await packetizer.MoveNextAsync(cancellationToken))
            {
                if (clock is not null)
                {
                    // A file is paced by the engine: each frame leaves when its media time has come.
                    double dueSeconds = timestamp / rate;
                    while (Stopwatch.GetElapsedTime(startTicks).TotalSeconds < dueSeconds)
                    {
                        await tick.WaitAsync();
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }

                FrameArrived();
                int samples = packetizer.CurrentSamples;
                // The one place a broadcast frame's header is made: every listener gets these bytes.
                var header = new FrameHeader(FrameKind.Audio, sequence, timestamp, WallClock.NowMicroseconds(), packetizer.CurrentPresentationTimeUs);
                _ring.Publish(header, packetizer.Current, content.SamplesIn(timestamp, samples));
                sequence++;
                timestamp += (ulong)samples;
                Volatile.Write(ref _endSequence, sequence);
                FanOut();
            }
        }
        finally
        {
            clock?.Unsubscribe(tick);
        }
    }

    /// <summary>A frame came: the input is live (again).</summary>
    private void FrameArrived()
    {
        lock (_lock)
        {
            _lastFrameTicks = Stopwatch.GetTimestamp();
            if (_stalled)
            {
                _stalled = false;
                _statusVersion++;
                BroadcastLog.InputResumed(_logger, Stopwatch.GetElapsedTime(_stalledSinceTicks).TotalSeconds);
            }
        }
    }

    /// <summary>Watches the input: no frame for <see cref="BroadcastOptions.StallAfter"/> makes it stalled, announced and repeated.</summary>
    private async Task MonitorAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 10, Math.Min(_options.StallAfter.Ticks, _options.StatusRepeat.Ticks) / 4));
        using var timer = new PeriodicTimer(period);
        long lastAnnounced = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                bool wake = false;
                lock (_lock)
                {
                    if (!_stalled && Stopwatch.GetElapsedTime(_lastFrameTicks) > _options.StallAfter)
                    {
                        _stalled = true;
                        _stalledSinceTicks = _lastFrameTicks;
                        _statusVersion++;
                        lastAnnounced = Stopwatch.GetTimestamp();
                        wake = true;
                        BroadcastLog.InputStalled(_logger, _options.StallAfter.TotalSeconds);
                    }
                    else if (_stalled && Stopwatch.GetElapsedTime(lastAnnounced) >= _options.StatusRepeat)
                    {
                        _statusVersion++;
                        lastAnnounced = Stopwatch.GetTimestamp();
                        wake = true;
                    }
                }

                if (wake)
                {
                    WakeAll();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Hands the frame just published to every listener (on the producer's thread). One that waits at the live edge
    /// with an idle connection gets it at once: one non-blocking send straight from the ring, no copy, no task, no
    /// wake-up (what makes a thousand listeners cheap: Icecast's loop over its clients). Any other is woken, and its
    /// own loop sends what it has to through its queue: a status first, a catch-up batch, or the rest of a frame the
    /// kernel only took part of.
    /// </summary>
    private void FanOut()
    {
        long index = _ring.Next - 1;
        var frame = _ring.Newest(out int payloadLength, out long samples);
        int sent = 0;
        var members = _members.Current;
        for (int i = 0; i < members.Length; i++)
        {
            // Two stages ahead of the sends: the listener after next, and the sender and connection of the next one
            // (whose fields arrived during this one's send). See CachePrefetch.
            if (i + 2 < members.Length)
            {
                CachePrefetch.Object(members[i + 2]);
            }

            if (i + 1 < members.Length)
            {
                members[i + 1].PrefetchSendPath();
            }

            var member = members[i];
            if (member.TrySendAtOnce(index, frame, payloadLength, samples))
            {
                sent++;
            }
            else
            {
                member.Wake();
            }
        }

        if (sent > 0)
        {
            // Once per frame, not per listener: a counter update is shared state every listener would touch.
            ServerMetrics.FramesSent.Add(sent);
            ServerMetrics.BytesSent.Add((long)sent * payloadLength);
            Volatile.Write(ref _framesSentAtOnce, _framesSentAtOnce + sent);
        }

        foreach (var feed in _feeds.Current)
        {
            feed.Set();
        }
    }

    private void WakeAll()
    {
        // Each listener's send runs inside Set when it was waiting (on this thread), and a listener whose socket is
        // full just stays behind, awaiting its own flush.
        foreach (var member in _members.Current)
        {
            member.Wake();
        }

        foreach (var feed in _feeds.Current)
        {
            feed.Set();
        }
    }
}

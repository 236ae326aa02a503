using System.Diagnostics;
using Streamer.Media.Playout;
using Streamer.Protocol.Threading;

namespace Streamer.Streaming.Send;

/// <summary>
/// One thread that ticks for every realtime session of a server. Each tick wakes the sessions inline on this
/// thread, so a tick costs one thread wake-up however many clients there are (on a VM a wake-up through the
/// timer queue and the thread pool cost ~100 µs of CPU each, which made a single idle-ish stream cost 2–4 % of
/// a core). Ticks are computed from the start time, so they do not drift. Idle (no subscribers) it sleeps.
/// The period is the shortest frame duration among the subscribers (what their packetizers actually make), kept
/// within <see cref="MinPeriod"/>..<see cref="MaxPeriod"/>: a session sends every frame that has fallen due at a tick.
/// </summary>
internal sealed class PacingClock : IDisposable
{
    /// <summary>Ticks never come faster than this: smaller frames are sent two or more to a tick.</summary>
    public static readonly TimeSpan MinPeriod = TimeSpan.FromMilliseconds(2.5);

    /// <summary>Ticks never come slower than this, whatever the frame duration (a frame is sent at most this late).</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromMilliseconds(20);

    private readonly Func<long> _now;
    private readonly Action<long> _sleepUntil;
    private readonly long _frequency;
    private readonly Thread? _thread;
    private readonly ManualResetEventSlim _hasSubscribers = new(false);
    private readonly Lock _lock = new();
    private Subscription[] _subscribers = [];
    private long _periodTicks;
    private long _lastTick;
    private volatile bool _stopped;

    /// <summary>A clock on its own thread, in <see cref="Stopwatch"/> time.</summary>
    public PacingClock()
        : this(Stopwatch.GetTimestamp, MonotonicSleeper.SleepUntil, Stopwatch.Frequency, startThread: true)
    {
    }

    /// <summary>
    /// The test seam: <paramref name="now"/> and <paramref name="sleepUntil"/> in timestamps of
    /// <paramref name="frequency"/> per second; without a thread, the caller drives <see cref="Tick"/> itself.
    /// </summary>
    internal PacingClock(Func<long> now, Action<long> sleepUntil, long frequency, bool startThread)
    {
        _now = now;
        _sleepUntil = sleepUntil;
        _frequency = frequency;
        _periodTicks = ToTicks(MaxPeriod);
        if (startThread)
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "Streamer pacing", Priority = ThreadPriority.AboveNormal };
            _thread.Start();
        }
    }

    /// <summary>The timestamp of the latest tick.</summary>
    public long LastTick => Volatile.Read(ref _lastTick);

    /// <summary>The current period between ticks.</summary>
    public TimeSpan Period => TimeSpan.FromSeconds((double)Volatile.Read(ref _periodTicks) / _frequency);

    /// <summary>
    /// Starts waking <paramref name="signal"/> on every tick, for frames of <paramref name="frameDuration"/>; for a
    /// signal already subscribed, changes its frame duration (a session learns it once its source is open).
    /// </summary>
    public void Subscribe(AsyncSignal signal, TimeSpan frameDuration)
    {
        lock (_lock)
        {
            var subscription = new Subscription(signal, ToTicks(frameDuration));
            int index = Array.FindIndex(_subscribers, s => ReferenceEquals(s.Signal, signal));
            _subscribers = index < 0 ? [.. _subscribers, subscription] : [.. _subscribers[..index], subscription, .. _subscribers[(index + 1)..]];
            UpdatePeriod();
            _hasSubscribers.Set();
        }
    }

    public void Unsubscribe(AsyncSignal signal)
    {
        lock (_lock)
        {
            _subscribers = Array.FindAll(_subscribers, s => !ReferenceEquals(s.Signal, signal));
            UpdatePeriod();
            if (_subscribers.Length == 0)
            {
                _hasSubscribers.Reset();
            }
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _hasSubscribers.Set();
        // Sessions run inline on the clock thread, so the last of them may dispose the server from here.
        if (_thread is not null && Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _hasSubscribers.Dispose();
    }

    /// <summary>
    /// One turn of the clock's loop: waits for a subscriber (then starts from now), sleeps until <paramref name="next"/>,
    /// wakes every subscriber and returns when the following tick is due.
    /// </summary>
    internal long Tick(long next)
    {
        if (!_hasSubscribers.IsSet)
        {
            _hasSubscribers.Wait();
            next = _now();
        }

        _sleepUntil(next);

        Volatile.Write(ref _lastTick, next);
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Signal.Set();
        }

        long period = Volatile.Read(ref _periodTicks);
        next += period;
        long now = _now();
        if (now - next > period * 10)
        {
            // Suspended or starved for many periods: resume from now instead of firing a burst of stale ticks.
            next = now;
        }

        return next;
    }

    private void Run()
    {
        long next = _now();
        while (!_stopped)
        {
            next = Tick(next);
        }
    }

    private void UpdatePeriod()
    {
        long period = ToTicks(MaxPeriod);
        foreach (var subscriber in _subscribers)
        {
            period = Math.Min(period, subscriber.PeriodTicks);
        }

        Volatile.Write(ref _periodTicks, Math.Max(period, ToTicks(MinPeriod)));
    }

    private long ToTicks(TimeSpan duration) => Math.Max(1, (long)(duration.TotalSeconds * _frequency));

    private readonly record struct Subscription(AsyncSignal Signal, long PeriodTicks);
}

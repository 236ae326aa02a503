using System.Diagnostics;
using Streamer.Media.Playout;
using Streamer.Protocol.Threading;

namespace Streamer.Streaming.Send;

/// <summary>
/// One thread that ticks for every realtime session of a server. Each tick wakes the sessions inline on this
/// thread, so a tick costs one thread wake-up however many clients there are (on a VM a wake-up through the
/// timer queue and the thread pool cost ~100 µs of CPU each, which made a single idle-ish stream cost 2–4 % of
/// a core). Ticks are computed from the start time, so they do not drift. Idle (no subscribers) it sleeps.
/// </summary>
internal sealed class PacingClock : IDisposable
{
    private readonly long _periodTicks;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _hasSubscribers = new(false);
    private readonly Lock _lock = new();
    private AsyncSignal[] _subscribers = [];
    private long _lastTick;
    private volatile bool _stopped;

    public PacingClock(TimeSpan period)
    {
        _periodTicks = Math.Max(1, (long)(period.TotalSeconds * Stopwatch.Frequency));
        _thread = new Thread(Run) { IsBackground = true, Name = "Streamer pacing", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>The Stopwatch timestamp of the latest tick.</summary>
    public long LastTick => Volatile.Read(ref _lastTick);

    /// <summary>Starts waking <paramref name="signal"/> on every tick.</summary>
    public void Subscribe(AsyncSignal signal)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers, signal];
            _hasSubscribers.Set();
        }
    }

    public void Unsubscribe(AsyncSignal signal)
    {
        lock (_lock)
        {
            _subscribers = Array.FindAll(_subscribers, s => !ReferenceEquals(s, signal));
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
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _hasSubscribers.Dispose();
    }

    private void Run()
    {
        long next = Stopwatch.GetTimestamp();
        while (!_stopped)
        {
            if (!_hasSubscribers.IsSet)
            {
                _hasSubscribers.Wait();
                next = Stopwatch.GetTimestamp();
            }

            MonotonicSleeper.SleepUntil(next);

            Volatile.Write(ref _lastTick, next);
            foreach (var subscriber in Volatile.Read(ref _subscribers))
            {
                subscriber.Set();
            }

            next += _periodTicks;
            long now = Stopwatch.GetTimestamp();
            if (now - next > _periodTicks * 10)
            {
                // Suspended or starved for many periods: resume from now instead of firing a burst of stale ticks.
                next = now;
            }
        }
    }
}

using System.Collections.Concurrent;
using HdrHistogram;

namespace Streamer.Bench.Listeners;

/// <summary>
/// What all listeners count into, from many threads at once: plain interlocked counters and two concurrent
/// histograms, so a frame costs a few atomic adds and no allocation.
/// </summary>
internal sealed class ListenerTally
{
    /// <summary>Lateness and delay are recorded in microseconds up to a minute; anything later counts as a minute.</summary>
    private const long HighestUs = 60_000_000;

    private readonly ConcurrentDictionary<string, int> _refusals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);
    private long _connected;
    private long _refused;
    private long _failed;
    private long _ended;
    private long _lost;
    private long _frames;
    private long _bytes;
    private long _skipped;
    private long _outOfOrder;
    private long _maxLatenessUs;
    private long _maxDelayUs;
    private volatile bool _measuring;

    public LongConcurrentHistogram Lateness { get; } = new(1, HighestUs, 3);

    /// <summary>Arrival − the frame's send stamp (the server's wall clock when it wrote the frame): the protocol only.</summary>
    public LongConcurrentHistogram Delay { get; } = new(1, HighestUs, 3);

    /// <summary>True inside the measurement window: frames outside it keep each listener's position but count nowhere.</summary>
    public bool Measuring
    {
        get => _measuring;
        set => _measuring = value;
    }

    public long Connected => Interlocked.Read(ref _connected);

    public long Refused => Interlocked.Read(ref _refused);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Listeners whose stream ended (end of stream, or the server closed it) before the window closed.</summary>
    public long Ended => Interlocked.Read(ref _ended);

    /// <summary>Listeners whose connection broke (reset, malformed frame, server error) after they connected.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    public long Frames => Interlocked.Read(ref _frames);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Skipped => Interlocked.Read(ref _skipped);

    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    public long MaxLatenessUs => Interlocked.Read(ref _maxLatenessUs);

    public long MaxDelayUs => Interlocked.Read(ref _maxDelayUs);

    /// <summary>Refusal reasons (the server's error code, or the HTTP status) and how many listeners got each.</summary>
    public IReadOnlyDictionary<string, int> Refusals => _refusals;

    /// <summary>Why listeners failed to connect or were lost, and how many each.</summary>
    public IReadOnlyDictionary<string, int> Failures => _failures;

    public void AddConnected() => Interlocked.Increment(ref _connected);

    public void AddRefused(string reason)
    {
        Interlocked.Increment(ref _refused);
        _refusals.AddOrUpdate(reason, 1, static (_, n) => n + 1);
    }

    public void AddFailed(string reason)
    {
        Interlocked.Increment(ref _failed);
        _failures.AddOrUpdate(reason, 1, static (_, n) => n + 1);
    }

    /// <summary>A connected listener's stream ended on the server's side before the window closed.</summary>
    public void AddEnded()
    {
        if (_measuring)
        {
            Interlocked.Increment(ref _ended);
        }
    }

    /// <summary>A connected listener's connection broke before the window closed.</summary>
    public void AddLost(string reason)
    {
        if (_measuring)
        {
            Interlocked.Increment(ref _lost);
            _failures.AddOrUpdate("lost: " + reason, 1, static (_, n) => n + 1);
        }
    }

    /// <summary>One frame (or page) inside the window; <paramref name="delayUs"/> is null when the source has no send stamp
    /// (a stamp a few µs after the arrival, from the wall clock's rounding, counts as 0).</summary>
    public void AddFrame(long bytes, long latenessUs, long? delayUs)
    {
        Interlocked.Increment(ref _frames);
        Interlocked.Add(ref _bytes, bytes);
        Record(Lateness, ref _maxLatenessUs, latenessUs);
        if (delayUs is { } delay)
        {
            Record(Delay, ref _maxDelayUs, delay);
        }
    }

    /// <summary>Bytes inside the window that belong to no frame (an HTTP body that is not Ogg).</summary>
    public void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);

    public void AddSkipped(long skipped, long outOfOrder)
    {
        if (skipped != 0)
        {
            Interlocked.Add(ref _skipped, skipped);
        }

        if (outOfOrder != 0)
        {
            Interlocked.Add(ref _outOfOrder, outOfOrder);
        }
    }

    private static void Record(LongConcurrentHistogram histogram, ref long max, long valueUs)
    {
        long value = Math.Clamp(valueUs, 0, HighestUs);
        histogram.RecordValue(value);
        long seen = Interlocked.Read(ref max);
        while (value > seen)
        {
            long previous = Interlocked.CompareExchange(ref max, value, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }
    }
}

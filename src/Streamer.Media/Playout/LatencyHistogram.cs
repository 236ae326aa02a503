namespace Streamer.Media.Playout;

/// <summary>Fixed-memory latency histogram: 0.1 ms buckets up to 10 s, plus the exact maximum.</summary>
public sealed class LatencyHistogram
{
    private const int BucketMicroseconds = 100;
    private const int BucketCount = 100_000;

    private readonly int[] _buckets = new int[BucketCount];
    private long _count;
    private long _maxUs;

    /// <summary>Samples recorded.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Records one latency in µs (clamped to 0–10 s).</summary>
    public void Record(long latencyUs)
    {
        long bucket = Math.Clamp(latencyUs / BucketMicroseconds, 0, BucketCount - 1);
        _buckets[bucket]++;
        if (latencyUs > _maxUs)
        {
            _maxUs = latencyUs;
        }

        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>The largest latency recorded, in ms (0 before any).</summary>
    public double MaxMilliseconds => _count == 0 ? 0 : _maxUs / 1000.0;

    /// <summary>The latency below which <paramref name="percentile"/> percent of samples fall, in ms (bucket upper edge).</summary>
    public double Percentile(double percentile)
    {
        long count = Count;
        if (count == 0)
        {
            return 0;
        }

        long rank = (long)Math.Ceiling(count * percentile / 100.0);
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += _buckets[i];
            if (seen >= rank)
            {
                return Math.Min((i + 1) * BucketMicroseconds, _maxUs) / 1000.0;
            }
        }

        return MaxMilliseconds;
    }
}

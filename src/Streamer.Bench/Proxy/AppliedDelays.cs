using HdrHistogram;

namespace Streamer.Bench.Proxy;

/// <summary>
/// The delays one direction applied, recorded per chunk without allocating: exact count, mean, min and max, and an
/// HdrHistogram for the percentiles (2 significant digits up to a minute: 10 KB, so a proxy holding a thousand
/// connections keeps 20 MB of them, not hundreds). Not thread-safe: one writer, read once it is done.
/// </summary>
internal sealed class AppliedDelays
{
    private const long HighestMicroseconds = 60_000_000;

    private readonly IntHistogram histogram = new(HighestMicroseconds, 2);
    private long count;
    private long sum;
    private long min = long.MaxValue;
    private long max;
    private long previous = -1;
    private long absoluteDifferences;
    private long differences;

    /// <summary>Records one chunk's delay in µs (negative counts as 0, past a minute as a minute in the percentiles).</summary>
    public void Record(long microseconds)
    {
        long value = Math.Max(0, microseconds);
        histogram.RecordValue(Math.Min(value, HighestMicroseconds));
        count++;
        sum += value;
        min = Math.Min(min, value);
        max = Math.Max(max, value);
        if (previous >= 0)
        {
            absoluteDifferences += Math.Abs(value - previous);
            differences++;
        }

        previous = value;
    }

    /// <summary>Adds another direction's (a closed connection's) delays to these.</summary>
    public void Add(AppliedDelays other)
    {
        histogram.Add(other.histogram);
        count += other.count;
        sum += other.sum;
        min = Math.Min(min, other.min);
        max = Math.Max(max, other.max);
        absoluteDifferences += other.absoluteDifferences;
        differences += other.differences;
    }

    public AppliedDelaySummary Summary()
        => count == 0
            ? new AppliedDelaySummary(0, 0, 0, 0, 0, 0, 0)
            : new AppliedDelaySummary(
                count,
                sum / 1000.0 / count,
                min / 1000.0,
                histogram.GetValueAtPercentile(50) / 1000.0,
                histogram.GetValueAtPercentile(99) / 1000.0,
                max / 1000.0,
                differences == 0 ? 0 : absoluteDifferences / 1000.0 / differences);
}

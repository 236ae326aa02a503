namespace Streamer.Probe;

/// <summary>Round-trip times from ping/pong, in milliseconds.</summary>
/// <param name="Sent">Pings sent.</param>
/// <param name="Received">Pongs that came back in time.</param>
/// <param name="MinMs">Shortest round trip.</param>
/// <param name="AvgMs">Mean round trip.</param>
/// <param name="P99Ms">99th-percentile round trip.</param>
/// <param name="MaxMs">Longest round trip.</param>
/// <param name="JitterMs">Mean absolute difference between consecutive round trips (RFC 3550's idea, unsmoothed).</param>
public sealed record RttStatistics(int Sent, int Received, double MinMs, double AvgMs, double P99Ms, double MaxMs, double JitterMs)
{
    /// <summary>Summarizes round trips in the order they were measured; null when there are none.</summary>
    public static RttStatistics? From(int sent, IReadOnlyList<double> roundTripsMs)
    {
        if (roundTripsMs.Count == 0)
        {
            return null;
        }

        double sum = 0, jitterSum = 0;
        for (int i = 0; i < roundTripsMs.Count; i++)
        {
            sum += roundTripsMs[i];
            if (i > 0)
            {
                jitterSum += Math.Abs(roundTripsMs[i] - roundTripsMs[i - 1]);
            }
        }

        var sorted = new double[roundTripsMs.Count];
        for (int i = 0; i < sorted.Length; i++)
        {
            sorted[i] = roundTripsMs[i];
        }

        Array.Sort(sorted);
        double jitter = sorted.Length > 1 ? jitterSum / (sorted.Length - 1) : 0;
        return new RttStatistics(sent, sorted.Length, sorted[0], sum / sorted.Length, Percentile(sorted, 0.99), sorted[^1], jitter);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double fraction)
    {
        int rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

using Streamer.Probe;

namespace Streamer.Tests.Probe;

public class RttStatisticsTests
{
    [Fact]
    public void Summarizes_round_trips()
    {
        var stats = RttStatistics.From(5, [2.0, 1.0, 4.0, 3.0]);
        Assert.NotNull(stats);
        Assert.Equal(5, stats.Sent);
        Assert.Equal(4, stats.Received);
        Assert.Equal(1.0, stats.MinMs);
        Assert.Equal(2.5, stats.AvgMs);
        Assert.Equal(4.0, stats.MaxMs);
        Assert.Equal(4.0, stats.P99Ms);
        // |1-2| + |4-1| + |3-4| = 5 over 3 steps.
        Assert.Equal(5.0 / 3, stats.JitterMs, 9);
    }

    [Fact]
    public void P99_is_nearest_rank()
    {
        var values = new double[200];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i + 1;
        }

        Assert.Equal(198, RttStatistics.Percentile(values, 0.99));
        Assert.Equal(100, RttStatistics.Percentile(values, 0.5));
    }

    [Fact]
    public void No_round_trips_no_statistics()
    {
        Assert.Null(RttStatistics.From(3, []));
        var single = RttStatistics.From(1, [7.5]);
        Assert.Equal(0, single!.JitterMs);
        Assert.Equal(7.5, single.P99Ms);
    }
}

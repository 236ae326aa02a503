using Streamer.Bench.Latency;

namespace Streamer.Tests.Bench.Latency;

/// <summary>RFC 3550's interarrival jitter (section 6.4.1) on synthetic arrival series: a pure function.</summary>
public class Rfc3550JitterTests
{
    [Fact]
    public void Packets_arriving_exactly_on_their_media_clock_have_no_jitter_whatever_the_constant_transit()
    {
        long[] media = [0, 20_000, 40_000, 60_000, 80_000];
        long[] arrival = [7_000, 27_000, 47_000, 67_000, 87_000];
        Assert.Equal(0, Rfc3550Jitter.Compute(arrival, media));
    }

    [Fact]
    public void Each_step_moves_the_estimate_a_sixteenth_of_the_way_to_the_transit_difference()
    {
        // Transit 0, 0, 5 ms, 0: D = 0, +5 ms, -5 ms. J1 = 0; J2 = 5000/16 = 312.5; J3 = 312.5 + (5000 - 312.5)/16.
        long[] media = [0, 20_000, 40_000, 60_000];
        long[] arrival = [0, 20_000, 45_000, 60_000];
        Assert.Equal(312.5 + ((5000 - 312.5) / 16), Rfc3550Jitter.Compute(arrival, media), 9);
    }

    [Fact]
    public void Transit_alternating_by_a_fixed_amount_converges_to_that_amount()
    {
        // |D| is 10 ms at every step: J_n = 10 ms × (1 − (15/16)^n), which is 10 ms within 1 µs after 300 packets.
        int n = 301;
        var media = new long[n];
        var arrival = new long[n];
        for (int i = 0; i < n; i++)
        {
            media[i] = i * 20_000L;
            arrival[i] = media[i] + (i % 2 == 0 ? 0 : 10_000);
        }

        double expected = 10_000 * (1 - Math.Pow(15.0 / 16, n - 1));
        Assert.Equal(expected, Rfc3550Jitter.Compute(arrival, media), 6);
        Assert.InRange(Rfc3550Jitter.Compute(arrival, media), 9_999, 10_000);
    }

    [Fact]
    public void Series_of_different_lengths_are_refused()
        => Assert.Throws<ArgumentException>(() => Rfc3550Jitter.Compute([0, 1], [0]));
}

using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Playout;

public sealed class JitterBufferJitterTests
{
    [Fact]
    public void Fixed_target_rides_out_random_jitter_below_it_without_underruns()
    {
        var random = new Random(1);
        var sim = new JitterSimulation(new JitterBufferOptions { Strategy = "fixed:60" })
        {
            Delay = _ => random.Next(0, 30_000),
        };

        sim.Run(120);

        Assert.Equal(0, sim.Stats.Underruns);
        Assert.Equal(0, sim.Stats.Late);
        Assert.InRange(sim.Stats.SamplesPlayed, (long)(119.5 * 48000), 120 * 48000);
        Assert.Equal(60, sim.Buffer.TargetMilliseconds, 0.1);
    }

    [Fact]
    public void A_10_ms_fixed_target_plays_cleanly_with_5_ms_packets_and_small_jitter()
    {
        var random = new Random(6);
        var sim = new JitterSimulation(new JitterBufferOptions { Strategy = "fixed:10" }, frameMs: 5, blockMs: 2.5)
        {
            Delay = _ => random.Next(0, 3_000),
        };

        sim.Run(120);

        Assert.Equal(0, sim.Stats.Underruns);
        Assert.InRange(sim.Stats.Latency.Percentile(99), 2, 12);
    }

    [Fact]
    public void Fixed_target_rides_out_bursts_shorter_than_it()
    {
        // Every 2 s the network stalls for 50 ms, then delivers the held frames together.
        var sim = new JitterSimulation(new JitterBufferOptions { Strategy = "fixed:80" })
        {
            Delay = frame =>
            {
                long sendUs = frame * 20_000;
                long phase = sendUs % 2_000_000;
                return phase < 50_000 ? 50_000 - phase : 0;
            },
        };

        sim.Run(60);

        Assert.Equal(0, sim.Stats.Underruns);
        Assert.Equal(0, sim.Stats.Late);
    }

    [Fact]
    public void Adaptive_target_settles_near_the_injected_jitter_and_then_never_underruns()
    {
        var random = new Random(2);
        var sim = new JitterSimulation(new JitterBufferOptions())
        {
            Delay = _ => random.Next(0, 40_000),
        };

        sim.Run(20);
        long underrunsWhileLearning = sim.Stats.Underruns;
        long lateWhileLearning = sim.Stats.Late;
        double lowest = double.MaxValue, highest = 0;
        sim.Run(100, () =>
        {
            lowest = Math.Min(lowest, sim.Buffer.TargetMilliseconds);
            highest = Math.Max(highest, sim.Buffer.TargetMilliseconds);
        });

        // The target is the jitter plus half a packet and half a device block plus 2 ms: 40 + 15 + 2.
        Assert.InRange(sim.Buffer.JitterMilliseconds, 36, 41);
        Assert.InRange(lowest, 50, 60);
        Assert.InRange(highest, 50, 60);
        Assert.Equal(underrunsWhileLearning, sim.Stats.Underruns);
        Assert.Equal(lateWhileLearning, sim.Stats.Late);
        Assert.InRange(Math.Abs(sim.Buffer.DriftPpm), 0, 50);
        Assert.InRange(sim.Buffer.SmoothedDepthMilliseconds, sim.Buffer.TargetMilliseconds - 12, sim.Buffer.TargetMilliseconds + 12);
    }

    [Fact]
    public void Adaptive_target_grows_at_once_on_a_jitter_rise_and_shrinks_slowly_after()
    {
        bool jittery = false;
        var random = new Random(3);
        var sim = new JitterSimulation(new JitterBufferOptions())
        {
            Delay = _ => jittery ? random.Next(0, 100_000) : random.Next(0, 2_000),
        };

        sim.Run(30);
        double calm = sim.Buffer.TargetMilliseconds;
        jittery = true;
        sim.Run(2);
        double rough = sim.Buffer.TargetMilliseconds;
        jittery = false;
        sim.Run(5);
        double soonAfter = sim.Buffer.TargetMilliseconds;
        sim.Run(120);
        double longAfter = sim.Buffer.TargetMilliseconds;

        Assert.InRange(calm, 20, 25);
        Assert.InRange(rough, 100, 120);
        Assert.InRange(soonAfter, 70, rough);
        Assert.InRange(longAfter, 20, 25);
    }

    [Fact]
    public void A_stall_longer_than_the_target_underruns_then_drops_the_late_audio_and_keeps_latency_bounded()
    {
        var sim = new JitterSimulation(new JitterBufferOptions { Strategy = "fixed:40" })
        {
            // At 10 s the network stalls for 300 ms; everything held back then arrives at once.
            Delay = frame =>
            {
                long sendUs = frame * 20_000;
                return sendUs is >= 10_000_000 and < 10_300_000 ? 10_300_000 - sendUs : 0;
            },
        };

        sim.Run(9);
        double latencyBefore = sim.Stats.Latency.Percentile(50);
        sim.Run(21);

        Assert.Equal(1, sim.Stats.Underruns);
        Assert.InRange(sim.Stats.Late, 10, 15);
        // After the stall the buffer holds its target again instead of carrying the 300 ms along.
        Assert.InRange(sim.Buffer.SmoothedDepthMilliseconds, 25, 55);
        // What played after the stall played no later than before it: the late audio was dropped, not delayed.
        Assert.InRange(sim.Stats.Latency.MaxMilliseconds, latencyBefore - 1, latencyBefore + 11);
        // Frames are stamped when their first sample is due, so send-to-playout is the target less a packet, roughly.
        Assert.InRange(latencyBefore, 15, 45);
    }
}

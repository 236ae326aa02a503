using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Playout;

public sealed class JitterBufferDriftTests
{
    [Theory]
    [InlineData(200)]
    [InlineData(-200)]
    public void An_hour_with_200_ppm_drift_stays_within_a_few_ms_of_target(double ppm)
    {
        var random = new Random(4);
        var sim = new JitterSimulation(new JitterBufferOptions { Strategy = "fixed:40" })
        {
            SenderDriftPpm = ppm,
            Delay = _ => random.Next(0, 2_000),
        };

        sim.Run(120);
        double worst = 0;
        int blocks = 0;
        sim.Run(3480, () =>
        {
            if (++blocks % 100 == 0)
            {
                worst = Math.Max(worst, Math.Abs(sim.Buffer.SmoothedDepthMilliseconds - sim.Buffer.TargetMilliseconds));
            }
        });

        Assert.Equal(0, sim.Stats.Underruns);
        Assert.Equal(0, sim.Stats.Late);
        Assert.InRange(worst, 0, 3);
        Assert.InRange(sim.Buffer.DriftPpm, ppm - 20, ppm + 20);
        // Uncorrected, 200 ppm over an hour is 720 ms; corrected, the latency stays near the target.
        Assert.InRange(sim.Stats.Latency.Percentile(99), 30, 60);
    }

    [Fact]
    public void Without_drift_nothing_is_dropped_or_repeated()
    {
        var sim = new JitterSimulation(new JitterBufferOptions { Strategy = "fixed:40" });

        sim.Run(600);

        Assert.Equal(0, sim.Buffer.DriftPpm);
        Assert.Equal(600L * 48000, sim.Stats.SamplesPlayed + (long)(sim.Buffer.DepthMilliseconds * 48));
    }
}

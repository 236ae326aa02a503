using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Playout;

public sealed class JitterBufferAllocationTests
{
    [Fact]
    public void Writing_and_clocked_reading_with_jitter_drift_and_stalls_allocate_nothing()
    {
        var random = new Random(5);
        var sim = new JitterSimulation(new JitterBufferOptions())
        {
            SenderDriftPpm = 300,
            Delay = frame => frame % 1000 == 500 ? 200_000 : random.Next(0, 20_000),
        };
        sim.Run(30);

        // Per-frame allocation would show in every round; a one-off runtime allocation (a type load, a tier-up
        // stub under a loaded test run) shows in one at most. So the cleanest of three rounds must be zero.
        long allocated = long.MaxValue;
        for (int round = 0; round < 3 && allocated != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            sim.Run(40);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(sim.Stats.Underruns > 0, "the stalls should have exercised the underrun and late-drop path");
        Assert.True(sim.Stats.Late > 0, "the stalls should have made late frames to drop");
        Assert.Equal(0, allocated);
    }
}

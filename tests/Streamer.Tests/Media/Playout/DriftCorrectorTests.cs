using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Playout;

public sealed class DriftCorrectorTests
{
    [Fact]
    public void Dropping_slips_single_sample_frames_spread_through_the_block()
    {
        var (ring, block) = Filled(frames: 12, blockFrames: 10);

        new DriftCorrector(48000, 1).Read(ring, block, adjust: 2);

        // Three segments of three frames, one frame skipped after each of the first two.
        Assert.Equal(new byte[] { 0, 1, 2, 4, 5, 6, 8, 9, 10, 11 }, block);
        Assert.Equal(0, ring.Count);
    }

    [Fact]
    public void Repeating_doubles_single_sample_frames_spread_through_the_block()
    {
        var (ring, block) = Filled(frames: 8, blockFrames: 10);

        new DriftCorrector(48000, 1).Read(ring, block, adjust: -2);

        Assert.Equal(new byte[] { 0, 1, 1, 2, 3, 3, 4, 5, 6, 7 }, block);
        Assert.Equal(0, ring.Count);
    }

    [Fact]
    public void Within_half_a_packet_of_the_target_nothing_slips()
    {
        var drift = new DriftCorrector(48000, 4);

        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(0, drift.Plan(depthMs: 48, sinceArrivalMs: 5, frameMs: 20, targetMs: 40, frames: 480));
        }

        Assert.Equal(0, drift.DriftPpm);
    }

    [Fact]
    public void Far_off_target_it_slips_at_most_an_eighth_of_a_block()
    {
        var drift = new DriftCorrector(48000, 4);
        int total = 0;
        for (int i = 0; i < 100; i++)
        {
            int adjust = drift.Plan(depthMs: 2000, sinceArrivalMs: 10, frameMs: 20, targetMs: 40, frames: 480);
            Assert.InRange(adjust, 0, 60);
            total += adjust;
        }

        Assert.True(total > 0, "a buffer far above its target should play faster");
    }

    private static (PlayoutRing Ring, byte[] Block) Filled(int frames, int blockFrames)
    {
        var ring = new PlayoutRing(64);
        byte[] audio = new byte[frames];
        for (int i = 0; i < frames; i++)
        {
            audio[i] = (byte)i;
        }

        ring.TryWrite(audio);
        return (ring, new byte[blockFrames]);
    }
}

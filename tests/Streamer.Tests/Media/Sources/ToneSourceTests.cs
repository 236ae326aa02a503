using System.Buffers;
using Streamer.Media.Sources;
using Streamer.Tests.Support;

namespace Streamer.Tests.Media.Sources;

public sealed class ToneSourceTests
{
    [Fact]
    public async Task A_tone_of_n_seconds_is_the_demo_signal_sample_for_sample_and_ends()
    {
        await using var tone = new ToneSource(1.5);
        Assert.Equal(72000, tone.TotalFrames);
        var blocks = await StreamInputSourceTests.ReadAllAsync(tone, 1000);

        Assert.Equal(72, blocks.Count);
        Assert.Equal(WavFixture.DataOf(TestSignal.CreateWav(1.5)), blocks.SelectMany(b => b).ToArray());
    }

    [Fact]
    public async Task An_endless_tone_keeps_going_with_the_demo_signal_and_no_fade_out()
    {
        await using var tone = new ToneSource(null);
        Assert.Null(tone.TotalFrames);
        byte[] demo = WavFixture.DataOf(TestSignal.CreateWav(3));
        var start = (await tone.ReadAsync(48000, CancellationToken.None)).ToArray();
        // The first second matches the demo file (which fades out only in its last 20 ms).
        Assert.Equal(demo[..start.Length], start);
        for (int i = 0; i < 600; i++)
        {
            var block = await tone.ReadAsync(48000, CancellationToken.None);
            Assert.Equal(48000 * 4, block.Length);
        }

        // Ten minutes in it is still at full level: no fade.
        var late = (await tone.ReadAsync(4800, CancellationToken.None)).ToArray();
        short peak = 0;
        for (int i = 0; i < late.Length; i += 2)
        {
            peak = Math.Max(peak, Math.Abs(BitConverter.ToInt16(late, i)));
        }

        Assert.InRange(peak, 15000, 16000);
    }
}

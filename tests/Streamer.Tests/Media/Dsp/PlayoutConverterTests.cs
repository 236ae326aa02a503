using Streamer.Media;
using Streamer.Media.Dsp;
using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Dsp;

public sealed class PlayoutConverterTests
{
    [Fact]
    public void Mono_s16_at_24k_becomes_stereo_float_at_48k_by_interpolation()
    {
        var format = new AudioFormat(24000, 1, SampleEncoding.Int16);
        var buffer = Filled(format, [0, 16384, -16384, 8192, 0, 0, 0, 0]);
        var converter = new PlayoutConverter(buffer, toRate: 48000, toChannels: 2, maxFrames: 64);
        float[] output = new float[2 * 8];

        Assert.True(converter.Fill(output));

        // Output frame i sits at source position (i - 2) / 2: the first source frame also seeds the interpolation
        // history, so it starts one source frame late.
        float[] expectedLeft = [0, 0, 0, 0.25f, 0.5f, 0f, -0.5f, -0.125f];
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(expectedLeft[i], output[2 * i], 4);
            Assert.Equal(output[2 * i], output[(2 * i) + 1]);
        }
    }

    [Fact]
    public void Stereo_float64_maps_onto_one_channel_and_reports_the_end()
    {
        var format = new AudioFormat(48000, 2, SampleEncoding.Float64);
        var buffer = new JitterBuffer(format, new JitterBufferOptions { Strategy = "fixed:1" }, new PlaybackStats());
        byte[] pcm = new byte[4 * 16];
        for (int i = 0; i < 4; i++)
        {
            BitConverter.TryWriteBytes(pcm.AsSpan(i * 16), 0.25 * (i + 1));
            BitConverter.TryWriteBytes(pcm.AsSpan((i * 16) + 8), -1.0);
        }

        Assert.True(buffer.TryWrite(pcm, 0));
        buffer.Complete();
        var converter = new PlayoutConverter(buffer, toRate: 48000, toChannels: 1, maxFrames: 64);
        float[] output = new float[8];

        Assert.False(converter.Fill(output));
        // The history frame, the four source frames (left channel only), then silence after the end.
        Assert.Equal([0.25f, 0.25f, 0.5f, 0.75f, 1f, 0f, 0f, 0f], output);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Decodes_every_encoding_as_the_encoder_path_does(int which)
    {
        SampleEncoding[] encodings = [SampleEncoding.UInt8, SampleEncoding.Int16, SampleEncoding.Int24, SampleEncoding.Int32, SampleEncoding.Float32];
        var encoding = encodings[which];
        // One sample conversion: the device path's floats are SampleConversion's, bit for bit.
        var format = new AudioFormat(48000, 1, encoding);
        byte[] pcm = new byte[8 * format.BlockAlign];
        new Random(7).NextBytes(pcm);
        if (encoding == SampleEncoding.Float32)
        {
            for (int i = 0; i < 8; i++)
            {
                BitConverter.TryWriteBytes(pcm.AsSpan(i * 4), (i - 4) / 5f);
            }
        }

        float[] expected = new float[8];
        SampleConversion.ToFloat(pcm, encoding, expected);
        var buffer = new JitterBuffer(format, new JitterBufferOptions { Strategy = "fixed:0.01" }, new PlaybackStats());
        Assert.True(buffer.TryWrite(pcm, 0));
        buffer.Complete();
        var converter = new PlayoutConverter(buffer, toRate: 48000, toChannels: 1, maxFrames: 64);
        float[] output = new float[9];

        converter.Fill(output);

        // The first frame also seeds the interpolation history.
        Assert.Equal(expected[0], output[0]);
        Assert.Equal(expected, output[1..]);
    }

    [Fact]
    public void Filling_allocates_nothing()
    {
        // Fill runs on the audio callback: the shared sample conversion must stay allocation-free there.
        var format = new AudioFormat(44100, 2, SampleEncoding.Int24);
        var buffer = new JitterBuffer(format, new JitterBufferOptions { Strategy = "fixed:1" }, new PlaybackStats());
        byte[] pcm = new byte[441 * format.BlockAlign];
        new Random(3).NextBytes(pcm);
        var converter = new PlayoutConverter(buffer, toRate: 48000, toChannels: 1, maxFrames: 256);
        float[] output = new float[256];
        Assert.True(buffer.TryWrite(pcm, 0));
        converter.Fill(output);

        // The cleanest of three rounds must be zero (a one-off runtime allocation under a loaded run shows in one).
        long allocated = long.MaxValue;
        for (int round = 0; round < 3 && allocated != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 30; i++)
            {
                buffer.TryWrite(pcm.AsSpan(0, 100 * format.BlockAlign), 0);
                converter.Fill(output.AsSpan(0, 96));
            }

            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, allocated);
    }

    private static JitterBuffer Filled(AudioFormat format, short[] samples)
    {
        var buffer = new JitterBuffer(format, new JitterBufferOptions { Strategy = "fixed:0.1" }, new PlaybackStats());
        byte[] pcm = new byte[samples.Length * 2];
        Buffer.BlockCopy(samples, 0, pcm, 0, pcm.Length);
        Assert.True(buffer.TryWrite(pcm, 0));
        return buffer;
    }
}

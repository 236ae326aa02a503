using Streamer.Bench;
using Streamer.Media;
using Streamer.Media.Dsp;
using Streamer.Tests.Media.Codecs;

namespace Streamer.Tests.Media.Dsp;

public class ResamplerTests
{
    [Theory]
    [InlineData(44100, 48000, 1000.0)]
    [InlineData(22050, 48000, 3000.0)]
    [InlineData(48000, 8000, 1000.0)]
    [InlineData(96000, 48000, 5000.0)]
    public void A_tone_keeps_its_pitch_phase_and_duration(int from, int to, double hz)
    {
        var source = new AudioFormat(from, 1, SampleEncoding.Int16);
        byte[] wav = CodecTestAudio.SineWav(source, 1, hz);
        var clip = new PcmClip("tone", source, wav.AsSpan(44).ToArray());
        byte[] converted = clip.ConvertTo(new AudioFormat(to, 1, SampleEncoding.Int16));

        Assert.Equal(((from * 1L * to) + from - 1) / from * 2, converted.Length);
        byte[] ideal = CodecTestAudio.SineWav(new AudioFormat(to, 1, SampleEncoding.Int16), 1, hz).AsSpan(44).ToArray();
        // Away from the edges, where the filter sees silence outside the clip.
        int edge = to / 50 * 2;
        double snr = SignalComparison.SnrDb(ideal.AsSpan(edge, ideal.Length - (2 * edge)), converted.AsSpan(edge, ideal.Length - (2 * edge)));
        Assert.True(snr > 60, $"SNR {snr:0.0} dB");
    }

    [Fact]
    public void Downsampling_filters_out_what_the_lower_rate_cannot_carry()
    {
        var source = new AudioFormat(48000, 1, SampleEncoding.Int16);
        byte[] wav = CodecTestAudio.SineWav(source, 1, 6000);
        byte[] converted = new PcmClip("tone", source, wav.AsSpan(44).ToArray()).ConvertTo(new AudioFormat(8000, 1, SampleEncoding.Int16));
        double energy = 0;
        var samples = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(converted.AsSpan(400, converted.Length - 800));
        foreach (short s in samples)
        {
            energy += (double)s * s;
        }

        double rms = Math.Sqrt(energy / samples.Length);
        Assert.True(rms < 16383 * 0.707 / 100, $"a 6 kHz tone should be gone at 8 kHz, rms {rms:0}");
    }

    [Fact]
    public void Converting_in_blocks_gives_the_same_result_as_all_at_once()
    {
        var source = new AudioFormat(44100, 2, SampleEncoding.Int24);
        byte[] data = CodecTestAudio.SineWav(source, 0.5, 440).AsSpan(68).ToArray();
        var target = new AudioFormat(48000, 2, SampleEncoding.Int16);
        var whole = new PcmConverter(source, target, data.Length / 6);
        var expected = new byte[(whole.MaxOutputFrames + 100) * 4];
        int n = whole.Convert(data, expected) * 4;
        n += whole.Flush(expected.AsSpan(n)) * 4;

        var blocks = new PcmConverter(source, target, 441);
        var actual = new byte[expected.Length];
        int m = 0;
        for (int offset = 0; offset < data.Length; offset += 441 * 6)
        {
            m += blocks.Convert(data.AsSpan(offset, Math.Min(441 * 6, data.Length - offset)), actual.AsSpan(m)) * 4;
        }

        m += blocks.Flush(actual.AsSpan(m)) * 4;
        Assert.Equal(n, m);
        Assert.True(expected.AsSpan(0, n).SequenceEqual(actual.AsSpan(0, m)));
    }
}

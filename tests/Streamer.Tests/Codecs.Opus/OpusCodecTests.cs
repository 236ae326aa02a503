using Streamer.Bench;
using Streamer.Codecs.Opus;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Streaming;
using Streamer.Tests.Media.Codecs;

namespace Streamer.Tests.Codecs.Opus;

public class OpusCodecTests
{
    private static readonly AudioFormat Stereo48 = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public async Task Two_tone_at_64_kbps_decodes_aligned_with_the_source_and_of_the_same_length()
    {
        byte[] source = CodecTestAudio.TwoTone(3);
        var (output, info, _) = await CodecTestAudio.RoundTripAsync(CodecRegistry.Default.Get("opus"), new CodecOptions { Bitrate = 64000 }, CodecTestAudio.Wav(Stereo48, source));

        Assert.Equal(48000, info.SampleRate);
        Assert.Equal("312", info.Parameters["pre-skip"]);
        Assert.Equal(source.Length, output.Length);
        Assert.Equal(0, SignalComparison.BestLag(source, output, 2, 480, 48000));
        Assert.True(SignalComparison.SnrDb(source, output, 0, 2) >= 30, $"SNR {SignalComparison.SnrDb(source, output, 0, 2):0.0} dB");
    }

    [Fact]
    public async Task A_44k1_float_source_is_resampled_to_48k_with_the_same_duration()
    {
        var format = new AudioFormat(44100, 1, SampleEncoding.Float32);
        byte[] wav = CodecTestAudio.SineWav(format, 1.5, 440);
        var (output, info, _) = await CodecTestAudio.RoundTripAsync(CodecRegistry.Default.Get("opus"), new CodecOptions(), wav);

        Assert.Equal(48000, info.SampleRate);
        Assert.Equal(72000, info.TotalSamples);
        Assert.Equal(72000 * 2, output.Length);
        byte[] reference = CodecTestAudio.SineWav(new AudioFormat(48000, 1, SampleEncoding.Int16), 1.5, 440).AsSpan(44).ToArray();
        Assert.True(SignalComparison.SnrDb(reference, output, 0, 1) >= 25);
    }

    [Theory]
    [InlineData(7.0, null, "2.5, 5, 10, 20, 40 or 60 ms")]
    [InlineData(20.0, 1_000_000, "6 to 510 kbit/s")]
    [InlineData(20.0, 2000, "6 to 510 kbit/s")]
    public void Settings_the_codec_cannot_do_are_refused_in_one_line(double frameMs, int? bitrate, string expected)
    {
        var error = Assert.Throws<CodecException>(() => CodecRegistry.Default.Get("opus").CreateEncoder(Stereo48, new CodecOptions { FrameMilliseconds = frameMs, Bitrate = bitrate }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("complexity")]
    [InlineData("application")]
    [InlineData("expected-loss")]
    public void Bad_settings_are_refused(string key)
    {
        var options = key switch
        {
            "complexity" => new CodecOptions { Complexity = 11 },
            "application" => new CodecOptions { Application = (CodecApplication)7 },
            _ => new CodecOptions { ExpectedLossPercent = 101 },
        };
        var error = Assert.Throws<CodecException>(() => CodecRegistry.Default.Get("opus").CreateEncoder(Stereo48, options));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_two_channels_get_a_clear_error()
    {
        var error = Assert.Throws<CodecException>(() => CodecRegistry.Default.Get("opus").CreateEncoder(new AudioFormat(48000, 6, SampleEncoding.Int16), new CodecOptions()));
        Assert.Contains("6", error.Message, StringComparison.Ordinal);
        Assert.Contains("downmix", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(10.0)]
    [InlineData(60.0)]
    public async Task Every_frame_duration_keeps_the_output_aligned(double frameMs)
    {
        byte[] source = CodecTestAudio.TwoTone(1);
        var (output, info, _) = await CodecTestAudio.RoundTripAsync(CodecRegistry.Default.Get("opus"), new CodecOptions { FrameMilliseconds = frameMs, Bitrate = 96000 }, CodecTestAudio.Wav(Stereo48, source));

        Assert.Equal((int)(frameMs * 48), info.FrameSamples);
        Assert.Equal(source.Length, output.Length);
        Assert.Equal(0, SignalComparison.BestLag(source, output, 2, 240, 24000));
    }

    [Fact]
    public async Task A_lost_frame_becomes_concealed_audio_of_the_same_length_and_fec_beats_plain_plc()
    {
        byte[] source = CodecTestAudio.SpeechLike(2);
        var wav = CodecTestAudio.Wav(Stereo48, source);
        var options = new CodecOptions { Bitrate = 24000, Application = CodecApplication.Voip, Fec = true, ExpectedLossPercent = 20 };
        var drop = new HashSet<int> { 40 };
        var (clean, _, _) = await CodecTestAudio.RoundTripAsync(CodecRegistry.Default.Get("opus"), options, wav);
        var (withFec, info, _) = await CodecTestAudio.RoundTripAsync(CodecRegistry.Default.Get("opus"), options, wav, drop);
        var (plcOnly, _, _) = await CodecTestAudio.RoundTripAsync(CodecRegistry.Default.Get("opus"), options with { Fec = false }, wav, drop);

        Assert.Equal("true", info.Parameters["fec"]);
        Assert.Equal(source.Length, withFec.Length);
        Assert.Equal(source.Length, plcOnly.Length);
        // Speech-mode Opus does not match waveforms, so judge the lost frame against the loss-free decode.
        int start = ((40 * 960) - 312) * 4;
        var window = clean.AsSpan(start, 960 * 4);
        double fec = SignalComparison.SnrDb(window, withFec.AsSpan(start, 960 * 4), 0, 2);
        double plc = SignalComparison.SnrDb(window, plcOnly.AsSpan(start, 960 * 4), 0, 2);
        Assert.True(fec > plc, $"FEC {fec:0.0} dB should beat PLC {plc:0.0} dB against the loss-free decode");
    }

    [Fact]
    public void A_missing_libopus_is_named_with_how_to_get_it()
    {
        var (library, missing) = LibOpus.Load(["libopus-not-here.so", "libopus-nor-here.so.0"]);
        Assert.Null(library);
        Assert.NotNull(missing);
        Assert.Contains("libopus-not-here.so, libopus-nor-here.so.0", missing, StringComparison.Ordinal);
        // The runtime package is what users install and all it needs (not the -dev one).
        Assert.Contains("apt-get install libopus0", missing, StringComparison.Ordinal);
    }

    [Fact]
    public void The_managed_codec_never_binds_to_libopus()
    {
        using var encoder = CodecRegistry.Default.Get("opus").CreateEncoder(Stereo48, new CodecOptions());
        Assert.Equal("concentus", encoder.Parameters["implementation"]);
        Assert.False(Concentus.OpusCodecFactory.AttemptToUseNativeLibrary);
    }

    [Fact]
    public void Wrapper_encode_and_decode_allocate_nothing_beyond_the_codec()
    {
        // The native path allocates nothing itself, so whatever shows up would be ours.
        OpusNative.Require();
        var codec = CodecRegistry.Default.Get("opus-native");
        using var encoder = codec.CreateEncoder(Stereo48, new CodecOptions());
        var info = new Streamer.Protocol.StreamInfoMessage("opus-native", 48000, 2, "s16le", 960, 0, -1, encoder.Parameters);
        using var decoder = codec.CreateDecoder(info);
        byte[] pcm = CodecTestAudio.TwoTone(0.5);
        var packet = new byte[encoder.MaxPacketBytes];
        var output = new byte[5760 * 4];
        for (int i = 0; i < 200; i++)
        {
            int length = encoder.Encode(pcm.AsSpan(i % 20 * 3840, 3840), packet);
            decoder.Decode(packet.AsSpan(0, length), output);
            decoder.Conceal(960, packet.AsSpan(0, length), output);
            decoder.Conceal(960, [], output);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            int length = encoder.Encode(pcm.AsSpan(i * 3840, 3840), packet);
            decoder.Decode(packet.AsSpan(0, length), output);
            decoder.Conceal(960, packet.AsSpan(0, length), output);
            decoder.Conceal(960, [], output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

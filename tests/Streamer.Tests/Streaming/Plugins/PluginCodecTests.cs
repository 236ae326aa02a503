using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Streaming.Plugins;

namespace Streamer.Tests.Streaming.Plugins;

public class PluginCodecTests
{
    private static readonly AudioFormat Mono16 = new(8000, 1, SampleEncoding.Int16);

    [Fact]
    public void A_plugin_decoder_that_throws_mid_stream_becomes_one_codec_exception_naming_codec_and_plugin()
    {
        var registry = new CodecRegistry();
        registry.RegisterPlugin(new FaultyCodec(), "/plugins/faulty.dll");
        using var decoder = registry.Get("faulty").CreateDecoder(new CodecStreamInfo(Mono16, 160));

        var error = Assert.Throws<CodecException>(() => decoder.Decode(new byte[10], new byte[320]));
        Assert.Equal("codec faulty (plugin /plugins/faulty.dll) failed: IndexOutOfRangeException: boom", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_plugin_encoder_claiming_more_bytes_than_the_packet_holds_is_refused()
    {
        var registry = new CodecRegistry();
        registry.RegisterPlugin(new FaultyCodec(), "/p.dll");
        using var encoder = registry.Get("faulty").CreateEncoder(Mono16, new CodecOptions());

        var error = Assert.Throws<CodecException>(() => encoder.Encode(new byte[320], new byte[16]));
        Assert.Contains("returned a packet of 1000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registrations_record_the_source_and_refuse_a_clash_in_any_case()
    {
        var registry = CodecRegistryWithPcm();
        registry.RegisterPlugin(new FaultyCodec(), "/p.dll");

        Assert.Equal(["built-in", "/p.dll"], registry.Registrations.Select(r => r.Source));
        var error = Assert.Throws<CodecException>(() => registry.RegisterPlugin(new FaultyCodec("PCM"), "/q.dll"));
        Assert.Equal("codec 'PCM' clashes with the built-in codec of that name", error.Message);
        Assert.Throws<CodecException>(() => registry.RegisterPlugin(new FaultyCodec("two words"), "/q.dll"));
    }

    [Fact]
    public void Codec_options_are_validated_in_one_place_with_the_options_names()
    {
        Assert.Equal("complexity must be from 0 to 10, not 11", Assert.Throws<CodecException>(() => new CodecOptions { Complexity = 11 }.Validate()).Message);
        Assert.Equal("expected-loss must be from 0 to 100 percent, not -1", Assert.Throws<CodecException>(() => new CodecOptions { ExpectedLossPercent = -1 }.Validate()).Message);
        Assert.Throws<CodecException>(() => new CodecOptions { FrameMilliseconds = 0 }.Validate());
        Assert.True(CodecOptions.TryParseApplication("voip", out var voip) && voip == CodecApplication.Voip);
        Assert.False(CodecOptions.TryParseApplication("music", out _));
    }

    [Fact]
    public void Stream_info_reads_the_pre_skip_checked()
    {
        var info = new CodecStreamInfo(Mono16, 160, new Dictionary<string, string> { [CodecStreamInfo.PreSkipKey] = "312", ["fec"] = "true" });
        Assert.Equal(312, info.GetPreSkip(48000));
        Assert.True(info.GetFlag("fec"));
        Assert.Throws<CodecException>(() => info.GetPreSkip(100));
        Assert.Equal(0, new CodecStreamInfo(Mono16, 160).GetPreSkip(100));
    }

    private static CodecRegistry CodecRegistryWithPcm()
    {
        var registry = new CodecRegistry();
        registry.Register(new PcmCodec());
        return registry;
    }

    private sealed class FaultyCodec(string name = "faulty") : IAudioCodec
    {
        public string Name => name;

        public string Description => "throws";

        public CodecPayloadKind PayloadKind => CodecPayloadKind.Encoded;

        public IAudioEncoder CreateEncoder(AudioFormat source, CodecOptions options) => new Encoder();

        public IAudioDecoder CreateDecoder(CodecStreamInfo stream) => new Decoder();

        private sealed class Encoder : IAudioEncoder
        {
            public AudioFormat InputFormat => Mono16;

            public int FrameSamples => 160;

            public int DelaySamples => 0;

            public int MaxPacketBytes => 16;

            public IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string>();

            public int Encode(ReadOnlySpan<byte> pcm, Span<byte> packet) => 1000;

            public void Dispose()
            {
            }
        }

        private sealed class Decoder : IAudioDecoder
        {
            public AudioFormat OutputFormat => Mono16;

            public int DelaySamples => 0;

            public int Decode(ReadOnlySpan<byte> packet, Span<byte> pcm) => throw new IndexOutOfRangeException("boom");

            public int Conceal(int samples, ReadOnlySpan<byte> nextPacket, Span<byte> pcm) => 0;

            public void Dispose()
            {
            }
        }
    }
}

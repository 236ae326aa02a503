using System.Buffers;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Streaming.Send;
using Streamer.Tests.Support;

namespace Streamer.Tests.Streaming.Send;

public sealed class PacketizerTests
{
    private static readonly AudioFormat Stereo48 = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public async Task Pcm_frames_are_the_sources_blocks_and_the_last_is_what_is_left()
    {
        byte[] samples = WavFixture.Samples(Stereo48, 250);
        await using var packetizer = new PcmPacketizer(new MemorySource(Stereo48, samples), 100);

        var frames = await ReadAllAsync(packetizer);

        Assert.Equal([100, 100, 50], frames.Select(f => f.Samples));
        Assert.Equal(samples, frames.SelectMany(f => f.Payload).ToArray());
        Assert.Equal(250, packetizer.Info.TotalSamples);
        Assert.Equal(100, packetizer.Info.FrameSamples);
        Assert.Equal(TimeSpan.FromSeconds(100.0 / 48000), packetizer.FrameDuration);
    }

    [Fact]
    public async Task Pcm_frames_share_the_sources_memory()
    {
        byte[] samples = WavFixture.Samples(Stereo48, 100);
        await using var packetizer = new PcmPacketizer(new MemorySource(Stereo48, samples), 100);

        Assert.True(await packetizer.MoveNextAsync(CancellationToken.None));
        Assert.True(packetizer.Current.IsSingleSegment);
        Assert.True(packetizer.Current.First.Span.Overlaps(samples), "a PCM frame should be a slice of the source's block, not a copy");
    }

    [Fact]
    public async Task A_source_of_unknown_length_announces_none()
    {
        await using var packetizer = new PcmPacketizer(new MemorySource(Stereo48, new byte[400], knownLength: false), 100);
        Assert.Equal(-1, packetizer.Info.TotalSamples);
    }

    [Theory]
    [InlineData(250, 0, 3)]
    [InlineData(200, 0, 2)]
    [InlineData(250, 30, 3)]
    [InlineData(250, 60, 4)]
    [InlineData(200, 100, 3)]
    public async Task Encoded_frames_are_whole_and_the_end_is_padded_past_the_encoders_delay(int sourceFrames, int delay, int expectedPackets)
    {
        byte[] samples = WavFixture.Samples(Stereo48, sourceFrames);
        using var encoder = new CopyingEncoder(Stereo48, 100, delay);
        await using var packetizer = new EncodingPacketizer(new MemorySource(Stereo48, samples), encoder, "copy");

        var frames = await ReadAllAsync(packetizer);

        Assert.Equal(expectedPackets, frames.Count);
        Assert.All(frames, f => Assert.Equal(100, f.Samples));
        byte[] all = frames.SelectMany(f => f.Payload).ToArray();
        Assert.Equal(samples, all[..samples.Length]);
        Assert.True(all.AsSpan(samples.Length).IndexOfAnyExcept((byte)0) < 0, "the padding should be silence");
        Assert.True((expectedPackets * 100) - sourceFrames >= delay, "the padding should push the codec's delay out");
        Assert.Equal(sourceFrames, packetizer.Info.TotalSamples);
        Assert.Equal("copy", packetizer.Info.Codec);
        Assert.Equal("x", packetizer.Info.Parameters["marker"]);
    }

    [Fact]
    public async Task The_frame_duration_is_what_the_encoder_makes()
    {
        using var encoder = new CopyingEncoder(new AudioFormat(16000, 2, SampleEncoding.Int16), 480, 0);
        await using var packetizer = new EncodingPacketizer(new MemorySource(Stereo48, new byte[4000]), encoder, "copy");

        // 480 samples at the encoder's 16 kHz input (the source is resampled to it): 30 ms, whatever the source's rate.
        Assert.Equal(TimeSpan.FromMilliseconds(30), packetizer.FrameDuration);
        Assert.Equal(16000, packetizer.Info.SampleRate);
    }

    [Theory]
    [InlineData("pcm", 5)]
    [InlineData("pcm", 40)]
    [InlineData("ulaw", 10)]
    public async Task The_factory_picks_the_packetizer_and_its_frame_duration_follows_the_codec_options(string codec, double frameMs)
    {
        var factory = new FrameSourceFactory(_ => Task.FromResult<Streamer.Media.Sources.IAudioSource>(new MemorySource(Stereo48, new byte[48000 * 4])), Streamer.Streaming.CodecRegistry.Default.Get(codec), new CodecOptions { FrameMilliseconds = frameMs });
        await using var packetizer = await factory.OpenAsync(CancellationToken.None);

        Assert.Equal(codec == "pcm", packetizer is PcmPacketizer);
        Assert.Equal(TimeSpan.FromMilliseconds(frameMs), packetizer.FrameDuration);
        Assert.Equal(packetizer.FrameDuration, TimeSpan.FromSeconds((double)packetizer.Info.FrameSamples / packetizer.Info.SampleRate));
    }

    [Fact]
    public async Task A_codec_that_cannot_take_the_source_disposes_it()
    {
        var source = new MemorySource(new AudioFormat(48000, 2, SampleEncoding.Float32), new byte[800]);
        using var encoder = new CopyingEncoder(new AudioFormat(48000, 1, SampleEncoding.Int16), 100, 0);
        Assert.Throws<CodecException>(() => new EncodingPacketizer(source, encoder, "copy"));

        var factory = new FrameSourceFactory(_ => Task.FromResult<Streamer.Media.Sources.IAudioSource>(source), new MonoOnlyCodec(), new CodecOptions());
        await Assert.ThrowsAsync<CodecException>(() => factory.OpenAsync(CancellationToken.None));
        Assert.True(source.Disposed);
    }

    private static async Task<List<(int Samples, byte[] Payload)>> ReadAllAsync(IPacketizer packetizer)
    {
        var frames = new List<(int, byte[])>();
        while (await packetizer.MoveNextAsync(CancellationToken.None))
        {
            frames.Add((packetizer.CurrentSamples, packetizer.Current.ToArray()));
        }

        return frames;
    }

    /// <summary>An "encoder" whose packet is its input: what the packetizer fed it is visible in the output.</summary>
    private sealed class CopyingEncoder(AudioFormat input, int frameSamples, int delay) : IAudioEncoder
    {
        public AudioFormat InputFormat => input;

        public int FrameSamples => frameSamples;

        public int DelaySamples => delay;

        public int MaxPacketBytes => frameSamples * input.BlockAlign;

        public IReadOnlyDictionary<string, string> Parameters { get; } = new Dictionary<string, string> { ["marker"] = "x" };

        public int Encode(ReadOnlySpan<byte> pcm, Span<byte> packet)
        {
            Assert.Equal(frameSamples * input.BlockAlign, pcm.Length);
            pcm.CopyTo(packet);
            return pcm.Length;
        }

        public void Dispose()
        {
        }
    }

    private sealed class MonoOnlyCodec : IAudioCodec
    {
        public string Name => "mono-only";

        public string Description => "a test codec whose encoder takes mono only";

        public CodecPayloadKind PayloadKind => CodecPayloadKind.Encoded;

        public IAudioEncoder CreateEncoder(AudioFormat source, CodecOptions options) => new CopyingEncoder(new AudioFormat(48000, 1, SampleEncoding.Int16), 100, 0);

        public IAudioDecoder CreateDecoder(CodecStreamInfo stream) => throw new NotSupportedException();
    }
}

using System.Buffers;
using Streamer.Media;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Sources;
using Streamer.Tests.Support;

namespace Streamer.Tests.Media.Sources;

public sealed class WavFileSourceTests
{
    public static TheoryData<int, int, string, bool> Formats => new()
    {
        { 48000, 2, nameof(SampleEncoding.Int16), false },
        { 44100, 1, nameof(SampleEncoding.Int24), false },
        { 96000, 6, nameof(SampleEncoding.Float32), true },
        { 8000, 1, nameof(SampleEncoding.UInt8), false },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Reads_every_format_in_blocks_of_whole_frames_to_the_end(int rate, int channels, string encoding, bool extensible)
    {
        var format = new AudioFormat(rate, channels, Enum.Parse<SampleEncoding>(encoding));
        byte[] samples = WavFixture.Samples(format, 1000);
        await using var source = await WavFileSource.OpenAsync(new MemoryStream(WavFixture.Build(format, samples, extensible)), "t");

        Assert.Equal(format with { ChannelMask = source.Format.ChannelMask }, source.Format);
        Assert.Equal(1000, source.TotalFrames);
        var blocks = await ReadAllAsync(source, 300);
        Assert.Equal([300, 300, 300, 100], blocks.Select(b => b.Length / format.BlockAlign));
        Assert.Equal(samples, blocks.SelectMany(b => b).ToArray());
    }

    [Fact]
    public async Task A_truncated_file_announces_what_it_holds_and_ends_at_its_last_whole_frame()
    {
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        byte[] samples = WavFixture.Samples(format, 1000);
        // 250 frames and 3 bytes of a 251st are missing; a file's length is known, so the header says so up front.
        byte[] truncated = WavFixture.Build(format, samples)[..^((250 * format.BlockAlign) - 3)];
        await using var source = await WavFileSource.OpenAsync(new MemoryStream(truncated), "t");

        Assert.Equal(750, source.TotalFrames);
        var blocks = await ReadAllAsync(source, 300);
        Assert.Equal([300, 300, 150], blocks.Select(b => b.Length / format.BlockAlign));
        Assert.Equal(samples[..(750 * format.BlockAlign)], blocks.SelectMany(b => b).ToArray());
    }

    [Fact]
    public async Task A_truncated_pipe_keeps_the_announced_length_and_ends_at_its_last_whole_frame()
    {
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        byte[] samples = WavFixture.Samples(format, 1000);
        byte[] truncated = WavFixture.Build(format, samples)[..^((250 * format.BlockAlign) - 3)];
        await using var source = await WavFileSource.OpenAsync(new PipedStream(truncated), "t");

        Assert.Equal(1000, source.TotalFrames);
        var blocks = await ReadAllAsync(source, 300);
        Assert.Equal([300, 300, 150], blocks.Select(b => b.Length / format.BlockAlign));
        Assert.Equal(samples[..(750 * format.BlockAlign)], blocks.SelectMany(b => b).ToArray());
    }

    [Fact]
    public async Task A_piped_wav_of_unknown_length_has_no_total_and_reads_to_the_end_of_the_stream()
    {
        var format = new AudioFormat(48000, 1, SampleEncoding.Int16);
        byte[] samples = WavFixture.Samples(format, 500);
        await using var source = await WavFileSource.OpenAsync(new PipedStream(WavFixture.Build(format, samples, declaredDataSize: uint.MaxValue)), "t");

        Assert.Null(source.TotalFrames);
        Assert.Equal(samples, (await ReadAllAsync(source, 128)).SelectMany(b => b).ToArray());
    }

    [Fact]
    public async Task The_end_stays_the_end()
    {
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        await using var source = await WavFileSource.OpenAsync(new MemoryStream(WavFixture.Build(format, WavFixture.Samples(format, 10))), "t");

        Assert.Equal(10, (await source.ReadAsync(100, CancellationToken.None)).Length / format.BlockAlign);
        for (int i = 0; i < 3; i++)
        {
            Assert.True((await source.ReadAsync(100, CancellationToken.None)).IsEmpty);
        }
    }

    [Fact]
    public async Task Disposing_closes_the_stream_and_a_bad_file_closes_it_at_once()
    {
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        var good = new TrackedStream(WavFixture.Build(format, WavFixture.Samples(format, 10)));
        var source = await WavFileSource.OpenAsync(good, "t");
        Assert.False(good.Disposed);
        await source.DisposeAsync();
        Assert.True(good.Disposed);

        var bad = new TrackedStream("RIFF\0\0\0\0JUNK"u8.ToArray());
        await Assert.ThrowsAsync<InvalidWavException>(() => WavFileSource.OpenAsync(bad, "bad"));
        Assert.True(bad.Disposed);
    }

    private static async Task<List<byte[]>> ReadAllAsync(IAudioSource source, int frames)
    {
        var blocks = new List<byte[]>();
        while (true)
        {
            var block = await source.ReadAsync(frames, CancellationToken.None);
            if (block.IsEmpty)
            {
                return blocks;
            }

            blocks.Add(block.ToArray());
        }
    }

    private sealed class TrackedStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    /// <summary>A stream without a length, like stdin or a socket.</summary>
    private sealed class PipedStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }
}

using System.Buffers;
using System.Buffers.Binary;
using Streamer.Media;
using Streamer.Media.Containers.Wav;
using Streamer.Tests.Support;

namespace Streamer.Tests.Media.Containers.Wav;

public class WavHeaderParserTests
{
    // The encoding travels as its name: xUnit theories must be public and SampleEncoding is internal.
    public static TheoryData<int, int, string, bool> Layouts => new()
    {
        { 8000, 1, nameof(SampleEncoding.UInt8), false },
        { 44100, 2, nameof(SampleEncoding.Int16), false },
        { 48000, 2, nameof(SampleEncoding.Int16), true },
        { 96000, 6, nameof(SampleEncoding.Int24), true },
        { 192000, 8, nameof(SampleEncoding.Int32), true },
        { 48000, 2, nameof(SampleEncoding.Float32), false },
        { 22050, 1, nameof(SampleEncoding.Float64), false },
        { 32000, 3, nameof(SampleEncoding.Float32), true },
    };

    private static (WavParseStatus Status, WavHeaderParser Parser) Parse(byte[] file, long? length = -1)
    {
        var parser = new WavHeaderParser(length == -1 ? file.Length : length);
        var buffer = new ReadOnlySequence<byte>(file);
        return (parser.Feed(ref buffer, isFinalBlock: true), parser);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Reads_every_supported_layout(int rate, int channels, string encoding, bool extensible)
    {
        var format = new AudioFormat(rate, channels, Enum.Parse<SampleEncoding>(encoding), extensible ? 0x3F : 0);
        byte[] samples = WavFixture.Samples(format, 100);
        var (status, parser) = Parse(WavFixture.Build(format, samples, extensible));

        Assert.Equal(WavParseStatus.Done, status);
        Assert.Equal(format, parser.Header!.Format);
        Assert.Equal(samples.Length, parser.Header.DataLength);
        Assert.Null(parser.Header.Warning);
    }

    [Fact]
    public void Skips_unneeded_chunks_honouring_pad_bytes_when_fed_one_byte_at_a_time()
    {
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        byte[] samples = WavFixture.Samples(format, 10);
        byte[] file = WavFixture.Build(format, samples, chunksBefore: [("JUNK", 27)], chunksAfterFmt: [("LIST", 5), ("fact", 4)]);
        var parser = new WavHeaderParser(file.Length);
        var status = WavParseStatus.NeedMoreData;
        int offset = 0;
        var pending = ReadOnlySequence<byte>.Empty;
        while (status == WavParseStatus.NeedMoreData)
        {
            // Hand over the unconsumed rest plus one new byte, as a pipe would.
            int start = offset - (int)pending.Length;
            offset++;
            var buffer = new ReadOnlySequence<byte>(file, start, offset - start);
            status = parser.Feed(ref buffer, isFinalBlock: offset == file.Length);
            pending = buffer;
        }

        Assert.Equal(WavParseStatus.Done, status);
        Assert.Equal(format, parser.Header!.Format);
        Assert.Equal(file.Length - samples.Length, parser.Header.DataOffset);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xFFFFFFFFu)]
    public void Data_size_zero_or_all_ones_means_to_the_end(uint declared)
    {
        var format = new AudioFormat(48000, 1, SampleEncoding.Int16);
        byte[] samples = WavFixture.Samples(format, 50);
        var (status, parser) = Parse(WavFixture.Build(format, samples, declaredDataSize: declared));

        Assert.Equal(WavParseStatus.Done, status);
        Assert.Equal(samples.Length, parser.Header!.DataLength);
    }

    [Fact]
    public void Truncated_data_streams_what_is_there_with_a_warning()
    {
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        byte[] samples = WavFixture.Samples(format, 50);
        var (status, parser) = Parse(WavFixture.Build(format, samples, declaredDataSize: 100_000));

        Assert.Equal(WavParseStatus.Done, status);
        Assert.Equal(samples.Length, parser.Header!.DataLength);
        Assert.Contains("streaming what is there", parser.Header.Warning);
    }

    public static TheoryData<string, byte[], string> Malformed()
    {
        var s16 = new AudioFormat(48000, 2, SampleEncoding.Int16);
        byte[] good = WavFixture.Build(s16, WavFixture.Samples(s16, 10));
        byte[] WithFmt(int offset, ushort value)
        {
            byte[] copy = (byte[])good.Clone();
            BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(20 + offset), value);
            return copy;
        }

        byte[] zeroRate = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(zeroRate.AsSpan(24), 0);
        byte[] notWave = (byte[])good.Clone();
        "AVI "u8.CopyTo(notWave.AsSpan(8));
        byte[] noData = good[..36];
        byte[] dataFirst = [.. "RIFF"u8, 4, 0, 0, 0, .. "WAVE"u8, .. "data"u8, 0, 0, 0, 0];
        byte[] hugeChunk = WavFixture.Build(s16, WavFixture.Samples(s16, 10), chunksBefore: [("LIST", 4)]);
        BinaryPrimitives.WriteUInt32LittleEndian(hugeChunk.AsSpan(16), 0x7FFFFFF0);
        byte[] noFmt = [.. "RIFF"u8, 12, 0, 0, 0, .. "WAVE"u8, .. "JUNK"u8, 0, 0, 0, 0];

        return new TheoryData<string, byte[], string>
        {
            { "empty", [], "empty" },
            { "truncated header", good[..10], "empty or shorter" },
            { "not RIFF", [.. "OggS"u8, .. good[4..]], "not a RIFF/WAVE file" },
            { "not WAVE", notWave, "not a RIFF/WAVE file" },
            { "no fmt", noFmt, "no fmt chunk" },
            { "no data", noData, "no data chunk" },
            { "data before fmt", dataFirst, "before any fmt" },
            { "zero channels", WithFmt(2, 0), "zero channels" },
            { "zero rate", zeroRate, "sample rate is zero" },
            { "ADPCM", WithFmt(0, 2), "ADPCM" },
            { "mu-law", WithFmt(0, 7), "µ-law" },
            { "absurd channels", WithFmt(2, 5000), "absurd channel count 5000" },
            { "absurd block align", WithFmt(12, 999), "block align 999" },
            { "12-bit PCM", WithFmt(14, 12), "12 bits" },
            { "chunk past end", hugeChunk, "runs past the end of the file" },
            { "truncated fmt", good[..30], "chunk 'fmt ' of 16 bytes at offset 12 runs past the end" },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_files_are_refused_with_a_reason(string what, byte[] file, string reason)
    {
        var (status, parser) = Parse(file);

        Assert.True(status == WavParseStatus.Error, what);
        Assert.Contains(reason, parser.Error);
    }

    [Fact]
    public void Truncated_fmt_in_a_stream_of_unknown_length_is_refused()
    {
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        byte[] file = WavFixture.Build(format, WavFixture.Samples(format, 10));
        var (status, parser) = Parse(file[..30], length: null);

        Assert.Equal(WavParseStatus.Error, status);
        Assert.Equal("truncated fmt chunk", parser.Error);
    }
}

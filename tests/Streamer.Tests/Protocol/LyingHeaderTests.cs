using System.Buffers;
using System.Buffers.Binary;
using Streamer.Protocol;
using Streamer.Tests.Support;

namespace Streamer.Tests.Protocol;

/// <summary>
/// Every way a MessagePack header can lie about a length — str8/16/32, bin8/16/32, ext8/16/32, fixext, array and
/// map counts, nested — in a skipped field or in one of the four read ones, whatever the segment split: the frame
/// is Malformed (or NeedMoreData while incomplete), never an exception.
/// </summary>
public class LyingHeaderTests
{
    /// <summary>Values that claim more bytes (or elements) than follow them.</summary>
    public static TheoryData<string, byte[]> Lies => new()
    {
        { "fixstr 31", [0xBF, 0x41] },
        { "str8 255", [0xD9, 0xFF, 0x41] },
        { "str16 65535", [0xDA, 0xFF, 0xFF, 0x41] },
        { "str32 4 GB", [0xDB, 0xFF, 0xFF, 0xFF, 0xFF] },
        { "str32 2 GB", [0xDB, 0x80, 0x00, 0x00, 0x00, 0x41] },
        { "str32 length cut", [0xDB, 0xFF, 0xFF] },
        { "bin8 255", [0xC4, 0xFF, 0x00] },
        { "bin16 65535", [0xC5, 0xFF, 0xFF] },
        { "bin32 4 GB", [0xC6, 0xFF, 0xFF, 0xFF, 0xFF] },
        { "ext8 255", [0xC7, 0xFF, 0x01, 0x00] },
        { "ext16 65535", [0xC8, 0xFF, 0xFF, 0x01] },
        { "ext32 4 GB", [0xC9, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
        { "ext32 without its type", [0xC9, 0x00, 0x00, 0x00, 0x00] },
        { "fixext16", [0xD8, 0x01, 0x00, 0x00] },
        { "fixext1 without data", [0xD4, 0x01] },
        { "float64 cut", [0xCB, 0x00, 0x00] },
        { "uint64 cut", [0xCF, 0x00] },
        { "fixarray 15", [0x9F, 0x01] },
        { "array16 65535", [0xDC, 0xFF, 0xFF, 0x01] },
        { "array32 4 G", [0xDD, 0xFF, 0xFF, 0xFF, 0xFF] },
        { "fixmap 15", [0x8F, 0x01, 0x02] },
        { "map16 65535", [0xDE, 0xFF, 0xFF, 0x01, 0x02] },
        { "map32 4 G", [0xDF, 0xFF, 0xFF, 0xFF, 0xFF] },
        { "map with a key but no value", [0x81, 0xA1, 0x6B] },
        { "nested arrays, innermost lies", [0x91, 0x91, 0x91, 0xDB, 0xFF, 0xFF, 0xFF, 0xFF] },
        { "array of strings, the last lies", [0x93, 0xA1, 0x61, 0xA1, 0x62, 0xD9, 0x09, 0x63] },
        { "never-used code", [0xC1] },
    };

    /// <summary>The frame from the report: <c>[1, 0, 0, 0, str32 of 4 GB]</c> in ten bytes.</summary>
    public static readonly byte[] ReportedFrame = [0, 0, 0, 0, 0, 0, 0, 0x0A, 0x95, 0x01, 0x00, 0x00, 0x00, 0xDB, 0xFF, 0xFF, 0xFF, 0xFF];

    private static byte[] FrameOf(byte[] body)
    {
        byte[] frame = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt64BigEndian(frame, (ulong)body.Length);
        body.CopyTo(frame, 8);
        return frame;
    }

    /// <summary>Parses the whole frame split at every point, and every prefix of it: Malformed, or NeedMoreData while incomplete.</summary>
    private static void AssertMalformedEverywhere(byte[] frame)
    {
        for (int cut = 0; cut < frame.Length; cut++)
        {
            var split = Segments.Split(frame, cut);
            Assert.Equal(FrameReadStatus.Malformed, FrameParser.TryRead(ref split, FrameParser.DefaultMaxFrameLength, out _, out _));

            var prefix = new ReadOnlySequence<byte>(frame, 0, cut);
            Assert.Equal(FrameReadStatus.NeedMoreData, FrameParser.TryRead(ref prefix, FrameParser.DefaultMaxFrameLength, out _, out _));
        }

        var bytewise = Segments.OneBytePerSegment(frame);
        Assert.Equal(FrameReadStatus.Malformed, FrameParser.TryRead(ref bytewise, FrameParser.DefaultMaxFrameLength, out _, out _));
    }

    [Fact]
    public void The_reported_ten_byte_frame_is_malformed()
    {
        AssertMalformedEverywhere(ReportedFrame);
    }

    [Theory]
    [MemberData(nameof(Lies))]
    public void A_lying_extra_field_is_malformed(string lie, byte[] value)
    {
        Assert.NotNull(lie);
        // [1, 0, 0, 0, lie]: the fifth field is one a newer peer might add, so it is skipped, not read.
        AssertMalformedEverywhere(FrameOf([0x95, 0x01, 0x00, 0x00, 0x00, .. value]));
        // ... and the same lie after a well-formed extra field.
        AssertMalformedEverywhere(FrameOf([0x96, 0x01, 0x00, 0x00, 0x00, 0xA2, 0x6F, 0x6B, .. value]));
    }

    [Theory]
    [MemberData(nameof(Lies))]
    public void A_lying_value_in_a_read_field_is_malformed(string lie, byte[] value)
    {
        Assert.NotNull(lie);
        for (int field = 0; field < FrameHeader.FieldCount; field++)
        {
            byte[] fields = [0x01, 0x00, 0x00, 0x00];
            byte[] body = [0x94, .. fields[..field], .. value, .. fields[(field + 1)..]];
            AssertMalformedEverywhere(FrameOf(body));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xDD, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0xDC, 0x00, 0x05, 0x01, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0xDC, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x9F, 0x01, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x94, 0x01, 0x00, 0x00 })]
    public void A_header_array_that_lies_about_its_count_is_malformed(byte[] body)
    {
        AssertMalformedEverywhere(FrameOf(body));
    }

    [Fact]
    public void Well_formed_extra_fields_of_every_type_are_skipped()
    {
        byte[] extras =
        [
            0xC0, 0xC2, 0xC3, 0x7F, 0xE0, 0xCC, 0x01, 0xCD, 0x00, 0x01, 0xCE, 0, 0, 0, 1, 0xCF, 0, 0, 0, 0, 0, 0, 0, 1,
            0xD0, 0x80, 0xD1, 0, 1, 0xD2, 0, 0, 0, 1, 0xD3, 0, 0, 0, 0, 0, 0, 0, 1, 0xCA, 0, 0, 0, 0, 0xCB, 0, 0, 0, 0, 0, 0, 0, 0,
            0xA1, 0x61, 0xD9, 0x01, 0x61, 0xDA, 0x00, 0x01, 0x61, 0xDB, 0, 0, 0, 1, 0x61,
            0xC4, 0x01, 0x00, 0xC5, 0x00, 0x01, 0x00, 0xC6, 0, 0, 0, 1, 0x00,
            0xD4, 0x01, 0x00, 0xD5, 0x01, 0, 0, 0xD6, 0x01, 0, 0, 0, 0, 0xD7, 0x01, 0, 0, 0, 0, 0, 0, 0, 0,
            0xD8, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0xC7, 0x01, 0x01, 0x00, 0xC8, 0x00, 0x01, 0x01, 0x00, 0xC9, 0, 0, 0, 1, 0x01, 0x00,
            0x92, 0x01, 0x81, 0xA1, 0x6B, 0x90, 0xDC, 0x00, 0x01, 0x80, 0xDD, 0, 0, 0, 1, 0xC0,
            0xDE, 0x00, 0x01, 0x01, 0x02, 0xDF, 0, 0, 0, 1, 0x01, 0x02,
        ];
        int count = CountValues(extras);
        byte[] body = [0xDC, 0x00, (byte)(4 + count), 0x03, 0x05, 0x06, 0x07, .. extras, 0xAB];
        var buffer = Segments.OneBytePerSegment(FrameOf(body));

        Assert.Equal(FrameReadStatus.Frame, FrameParser.TryRead(ref buffer, 1024, out var frame, out _));
        Assert.Equal(new FrameHeader(FrameKind.Audio, 5, 6, 7), frame.Header);
        Assert.Equal([0xAB], frame.Payload.ToArray());
    }

    /// <summary>How many top-level values <paramref name="bytes"/> holds, counted one value at a time.</summary>
    private static int CountValues(byte[] bytes)
    {
        var rest = new ReadOnlySequence<byte>(bytes);
        int count = 0;
        while (!rest.IsEmpty)
        {
            long length = MessagePackSkipper.TrySkip(rest);
            Assert.True(length > 0, $"value {count} did not parse");
            rest = rest.Slice(length);
            count++;
        }

        return count;
    }

    [Theory]
    [MemberData(nameof(Lies))]
    public void A_lying_value_in_a_hello_is_a_protocol_error(string lie, byte[] value)
    {
        Assert.NotNull(lie);
        // {"version": 1, "x": lie} (skipped key), then {"role": lie} (read key).
        byte[] skipped = [0x82, 0xA7, .. "version"u8, 0x01, 0xA1, 0x78, .. value];
        byte[] read = [0x82, 0xA7, .. "version"u8, 0x01, 0xA4, .. "role"u8, .. value];
        byte[] listed = [0x82, 0xA7, .. "version"u8, 0x01, 0xA6, .. "codecs"u8, .. value];
        foreach (byte[] payload in new[] { skipped, read, listed })
        {
            for (int cut = 0; cut < payload.Length; cut++)
            {
                var sequence = Segments.Split(payload, cut);
                Assert.Throws<ProtocolException>(() => HelloMessage.Read(sequence));
            }
        }
    }
}

using System.Buffers;
using System.Buffers.Binary;
using Streamer.Protocol;
using Streamer.Tests.Support;

namespace Streamer.Tests.Protocol;

public class FrameParserTests
{
    private static byte[] Encode(FrameHeader header, ReadOnlySpan<byte> payload)
    {
        var writer = new ArrayBufferWriter<byte>();
        FrameWriter.Write(writer, header, payload);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] ThreeFrames()
    {
        var writer = new ArrayBufferWriter<byte>();
        FrameWriter.Write(writer, new FrameHeader(FrameKind.Audio, 7, 960, 1_700_000_000_000_000), [1, 2, 3, 4, 5]);
        FrameWriter.Write(writer, new FrameHeader(FrameKind.Ping, 0, 0, -5), ReadOnlySpan<byte>.Empty);
        FrameWriter.Write(writer, new FrameHeader(FrameKind.Audio, uint.MaxValue, ulong.MaxValue, long.MinValue), Enumerable.Range(0, 300).Select(i => (byte)i).ToArray());
        return writer.WrittenSpan.ToArray();
    }

    private static List<(FrameHeader Header, byte[] Payload)> ParseAll(ReadOnlySequence<byte> buffer)
    {
        var frames = new List<(FrameHeader, byte[])>();
        while (FrameParser.TryRead(ref buffer, FrameParser.DefaultMaxFrameLength, out var frame, out _) == FrameReadStatus.Frame)
        {
            frames.Add((frame.Header, frame.Payload.ToArray()));
        }

        Assert.True(buffer.IsEmpty, "bytes left over after the last frame");
        return frames;
    }

    [Fact]
    public void Round_trips_header_fields_and_payload()
    {
        var frames = ParseAll(new ReadOnlySequence<byte>(ThreeFrames()));

        Assert.Equal(3, frames.Count);
        Assert.Equal(new FrameHeader(FrameKind.Audio, 7, 960, 1_700_000_000_000_000), frames[0].Header);
        Assert.Equal([1, 2, 3, 4, 5], frames[0].Payload);
        Assert.Equal(new FrameHeader(FrameKind.Ping, 0, 0, -5), frames[1].Header);
        Assert.Empty(frames[1].Payload);
        Assert.Equal(new FrameHeader(FrameKind.Audio, uint.MaxValue, ulong.MaxValue, long.MinValue), frames[2].Header);
        Assert.Equal(300, frames[2].Payload.Length);
    }

    [Fact]
    public void Same_frames_whatever_the_split_point()
    {
        byte[] bytes = ThreeFrames();
        var expected = ParseAll(new ReadOnlySequence<byte>(bytes));
        for (int cut = 1; cut < bytes.Length; cut++)
        {
            var actual = ParseAll(Segments.Split(bytes, cut));
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Header, actual[i].Header);
                Assert.Equal(expected[i].Payload, actual[i].Payload);
            }
        }

        var oneByte = ParseAll(Segments.OneBytePerSegment(bytes));
        Assert.Equal(expected.Select(f => f.Header), oneByte.Select(f => f.Header));
    }

    [Fact]
    public void Every_prefix_of_a_frame_needs_more_data_and_consumes_nothing()
    {
        byte[] bytes = Encode(new FrameHeader(FrameKind.Audio, 1, 2, 3), [9, 9, 9]);
        for (int length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.Equal(FrameReadStatus.NeedMoreData, FrameParser.TryRead(ref buffer, 1024, out _, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void Length_over_the_maximum_is_refused_before_the_body_arrives()
    {
        byte[] prefixOnly = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(prefixOnly, 2_000_000);
        var buffer = new ReadOnlySequence<byte>(prefixOnly);

        Assert.Equal(FrameReadStatus.TooLarge, FrameParser.TryRead(ref buffer, FrameParser.DefaultMaxFrameLength, out _, out ulong announced));
        Assert.Equal(2_000_000UL, announced);
    }

    [Fact]
    public void Length_above_two_to_the_63_is_too_large_not_negative()
    {
        byte[] prefix = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(prefix, ulong.MaxValue);
        var buffer = new ReadOnlySequence<byte>(prefix);

        Assert.Equal(FrameReadStatus.TooLarge, FrameParser.TryRead(ref buffer, long.MaxValue, out _, out ulong announced));
        // Reported as the peer sent it, not as -1.
        Assert.Equal(ulong.MaxValue, announced);
    }

    [Fact]
    public void Zero_length_is_malformed()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[8]);
        Assert.Equal(FrameReadStatus.Malformed, FrameParser.TryRead(ref buffer, 1024, out _, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0xC1 })]
    [InlineData(new byte[] { 0x93, 0x03, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x94, 0xA1, 0x41, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x94, 0xCD, 0x01, 0x00, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x94, 0x03, 0x00 })]
    [InlineData(new byte[] { 0x00, 0x01, 0x02 })]
    public void Garbage_headers_are_malformed(byte[] body)
    {
        byte[] frame = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt64BigEndian(frame, (ulong)body.Length);
        body.CopyTo(frame, 8);
        var buffer = new ReadOnlySequence<byte>(frame);

        Assert.Equal(FrameReadStatus.Malformed, FrameParser.TryRead(ref buffer, 1024, out _, out _));
    }

    [Fact]
    public void Extra_header_fields_from_a_newer_peer_are_skipped()
    {
        // [3, 5, 480, 42, "future", [1, 2]] then payload AB
        byte[] body = [0x96, 0x03, 0x05, 0xCD, 0x01, 0xE0, 0x2A, 0xA6, (byte)'f', (byte)'u', (byte)'t', (byte)'u', (byte)'r', (byte)'e', 0x92, 0x01, 0x02, 0xAB];
        byte[] frame = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt64BigEndian(frame, (ulong)body.Length);
        body.CopyTo(frame, 8);
        var buffer = new ReadOnlySequence<byte>(frame);

        Assert.Equal(FrameReadStatus.Frame, FrameParser.TryRead(ref buffer, 1024, out var parsed, out _));
        Assert.Equal(new FrameHeader(FrameKind.Audio, 5, 480, 42), parsed.Header);
        Assert.Equal([0xAB], parsed.Payload.ToArray());
    }

    [Fact]
    public void Unknown_kinds_parse_so_receivers_can_skip_them()
    {
        byte[] bytes = Encode(new FrameHeader((FrameKind)200, 0, 0, 0), [1]);
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(FrameReadStatus.Frame, FrameParser.TryRead(ref buffer, 1024, out var frame, out _));
        Assert.Equal((FrameKind)200, frame.Header.Kind);
    }

    [Theory]
    [InlineData(0u, 0ul, 0L)]
    [InlineData(127u, 128ul, -32L)]
    [InlineData(255u, 65535ul, -33L)]
    [InlineData(65536u, 4294967296ul, long.MaxValue)]
    [InlineData(uint.MaxValue, ulong.MaxValue, int.MinValue - 1L)]
    public void Computed_header_length_matches_what_MessagePack_writes(uint sequence, ulong timestamp, long sendTime)
    {
        var header = new FrameHeader(FrameKind.Audio, sequence, timestamp, sendTime);
        byte[] bytes = Encode(header, []);

        Assert.Equal(FrameWriter.HeaderLength(header), bytes.Length - 8);
        Assert.Equal((ulong)(bytes.Length - 8), BinaryPrimitives.ReadUInt64BigEndian(bytes));
        Assert.True(FrameWriter.HeaderLength(header) <= FrameHeader.MaxEncodedLength);
    }
}

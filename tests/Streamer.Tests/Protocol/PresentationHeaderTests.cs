using System.Buffers;
using MessagePack;
using Streamer.Protocol;

namespace Streamer.Tests.Protocol;

/// <summary>The presentation time in the frame header: round trip, and old and new peers reading each other.</summary>
public class PresentationHeaderTests
{
    private static readonly byte[] Payload = [1, 2, 3, 4];

    [Fact]
    public void A_header_with_a_presentation_time_round_trips_and_one_without_stays_four_elements()
    {
        var with = Parse(Write(new FrameHeader(FrameKind.Audio, 7, 6720, 1_000, 101_000)));
        Assert.Equal(new FrameHeader(FrameKind.Audio, 7, 6720, 1_000, 101_000), with.Header);
        Assert.Equal(Payload, with.Payload.ToArray());

        byte[] plain = Write(new FrameHeader(FrameKind.Audio, 7, 6720, 1_000));
        Assert.Equal(0x94, plain[8]);
        Assert.False(Parse(plain).Header.HasPresentationTime);
        Assert.Equal(0x95, Write(new FrameHeader(FrameKind.Audio, 7, 6720, 1_000, 101_000))[8]);
    }

    [Fact]
    public void An_old_reader_that_knows_four_elements_reads_the_new_frame_and_its_payload_unchanged()
    {
        byte[] frame = Write(new FrameHeader(FrameKind.Audio, 7, 6720, 1_000, 101_000));
        // What a version-1 reader does: four integers, then skip every element it does not know.
        var reader = new MessagePackReader(new ReadOnlyMemory<byte>(frame, 8, frame.Length - 8));
        int fields = reader.ReadArrayHeader();
        Assert.Equal(7u, reader.Skip2(fields));
        Assert.Equal(Payload, frame.AsSpan(8 + (int)reader.Consumed).ToArray());
    }

    [Fact]
    public void A_new_reader_skips_a_fifth_element_that_is_not_an_integer_and_any_after_it()
    {
        var body = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(body);
        writer.WriteArrayHeader(6);
        writer.Write((byte)FrameKind.Audio);
        writer.Write(3u);
        writer.Write(2880ul);
        writer.Write(5L);
        writer.Write("a later idea");
        writer.Write(99);
        writer.Flush();
        body.Write(Payload);
        byte[] frame = new byte[8 + body.WrittenCount];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(frame, (ulong)body.WrittenCount);
        body.WrittenSpan.CopyTo(frame.AsSpan(8));

        var parsed = Parse(frame);
        Assert.Equal(3u, parsed.Header.Sequence);
        Assert.False(parsed.Header.HasPresentationTime);
        Assert.Equal(Payload, parsed.Payload.ToArray());
    }

    private static byte[] Write(FrameHeader header)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameWriter.Write(output, header, Payload);
        Assert.Equal(FrameWriter.HeaderLength(header), output.WrittenCount - 8 - Payload.Length);
        Assert.True(FrameWriter.HeaderLength(header) <= FrameHeader.MaxEncodedLength);
        return output.WrittenSpan.ToArray();
    }

    private static Frame Parse(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(FrameReadStatus.Frame, FrameParser.TryRead(ref buffer, 1024, out var frame, out _));
        return frame;
    }
}

internal static class OldReader
{
    /// <summary>Reads kind, sequence, timestamp and send time as version 1 did and skips the rest; returns the sequence.</summary>
    public static uint Skip2(this ref MessagePackReader reader, int fields)
    {
        reader.ReadByte();
        uint sequence = reader.ReadUInt32();
        reader.ReadUInt64();
        reader.ReadInt64();
        for (int i = 4; i < fields; i++)
        {
            reader.Skip();
        }

        return sequence;
    }
}

using System.Buffers;
using System.Buffers.Binary;
using MessagePack;

namespace Streamer.Protocol;

/// <summary>Writes frames straight into an <see cref="IBufferWriter{T}"/> (a PipeWriter's memory): no copies, no allocation.</summary>
public static class FrameWriter
{
    /// <summary>Writes a whole frame with a contiguous payload.</summary>
    public static void Write(IBufferWriter<byte> output, in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        WritePrefixAndHeader(output, header, payload.Length);
        output.Write(payload);
    }

    /// <summary>Writes a whole frame whose payload is a (possibly multi-segment) sequence, such as a slice of a file pipe.</summary>
    public static void Write(IBufferWriter<byte> output, in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        WritePrefixAndHeader(output, header, checked((int)payload.Length));
        foreach (var segment in payload)
        {
            output.Write(segment.Span);
        }
    }

    /// <summary>Writes the length prefix and header; the caller then writes exactly <paramref name="payloadLength"/> bytes.</summary>
    public static void WritePrefixAndHeader(IBufferWriter<byte> output, in FrameHeader header, int payloadLength)
    {
        int headerLength = HeaderLength(header);
        var prefix = output.GetSpan(FrameParser.PrefixLength);
        BinaryPrimitives.WriteUInt64BigEndian(prefix, (ulong)(headerLength + payloadLength));
        output.Advance(FrameParser.PrefixLength);

        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(header.HasPresentationTime ? FrameHeader.FieldCountWithPresentation : FrameHeader.FieldCount);
        writer.Write((byte)header.Kind);
        writer.Write(header.Sequence);
        writer.Write(header.Timestamp);
        writer.Write(header.SendTimeUs);
        if (header.HasPresentationTime)
        {
            // Only when there is one: control frames and servers without playout scheduling stay four elements.
            writer.Write(header.PresentationTimeUs);
        }

        // MessagePackWriter buffers internally; Flush is what advances the underlying writer.
        writer.Flush();
    }

    /// <summary>The encoded header length: MessagePack picks the shortest integer encoding, and so does this.</summary>
    public static int HeaderLength(in FrameHeader header)
        => 1 + UnsignedLength((byte)header.Kind) + UnsignedLength(header.Sequence) + UnsignedLength(header.Timestamp) + SignedLength(header.SendTimeUs)
            + (header.HasPresentationTime ? SignedLength(header.PresentationTimeUs) : 0);

    private static int UnsignedLength(ulong value) => value switch
    {
        <= 0x7F => 1,
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        <= uint.MaxValue => 5,
        _ => 9,
    };

    private static int SignedLength(long value) => value >= 0 ? UnsignedLength((ulong)value) : value switch
    {
        >= -32 => 1,
        >= sbyte.MinValue => 2,
        >= short.MinValue => 3,
        >= int.MinValue => 5,
        _ => 9,
    };
}

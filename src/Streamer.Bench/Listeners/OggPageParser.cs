using System.Buffers;
using System.Buffers.Binary;

namespace Streamer.Bench.Listeners;

/// <summary>The header fields of one Ogg page (RFC 3533) that a listener counts by.</summary>
internal readonly record struct OggPage(long GranulePosition, uint Serial, uint Sequence, bool BeginsStream, long Length);

internal enum OggReadStatus
{
    /// <summary>A whole page was read and the buffer advanced past it.</summary>
    Page,

    /// <summary>The buffer holds part of a page (or nothing): nothing was consumed.</summary>
    NeedMoreData,

    /// <summary>Bytes that are not a page were skipped, up to the next "OggS" or the last three bytes.</summary>
    Skipped,
}

/// <summary>
/// Splits a byte stream into Ogg pages without copying: the capture pattern, the 27-byte header, the segment table,
/// the body. The CRC is not checked (the listener counts pages, it decodes nothing; TCP already guards the bytes).
/// </summary>
internal static class OggPageParser
{
    private const int HeaderBytes = 27;

    public static OggReadStatus TryRead(ref ReadOnlySequence<byte> buffer, out OggPage page, out long skippedBytes)
    {
        page = default;
        skippedBytes = 0;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.IsNext("OggS"u8))
        {
            if (buffer.Length < 4 && IsPrefixOfCapture(buffer))
            {
                return OggReadStatus.NeedMoreData;
            }

            // Lost sync (or not Ogg at all): skip to the next 'O' after this byte, where a capture pattern may start.
            var next = buffer.Slice(1).PositionOf((byte)'O');
            skippedBytes = next is { } found ? buffer.Slice(0, found).Length : buffer.Length;
            buffer = buffer.Slice(skippedBytes);
            return OggReadStatus.Skipped;
        }

        if (buffer.Length < HeaderBytes)
        {
            return OggReadStatus.NeedMoreData;
        }

        Span<byte> header = stackalloc byte[HeaderBytes];
        buffer.Slice(0, HeaderBytes).CopyTo(header);
        int segments = header[26];
        if (buffer.Length < HeaderBytes + segments)
        {
            return OggReadStatus.NeedMoreData;
        }

        Span<byte> table = stackalloc byte[255];
        buffer.Slice(HeaderBytes, segments).CopyTo(table);
        long body = 0;
        for (int i = 0; i < segments; i++)
        {
            body += table[i];
        }

        long length = HeaderBytes + segments + body;
        if (buffer.Length < length)
        {
            return OggReadStatus.NeedMoreData;
        }

        page = new OggPage(
            BinaryPrimitives.ReadInt64LittleEndian(header[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(header[14..]),
            BinaryPrimitives.ReadUInt32LittleEndian(header[18..]),
            (header[5] & 0x02) != 0,
            length);
        buffer = buffer.Slice(length);
        return OggReadStatus.Page;
    }

    private static bool IsPrefixOfCapture(ReadOnlySequence<byte> buffer)
    {
        Span<byte> head = stackalloc byte[4];
        int length = (int)buffer.Length;
        buffer.CopyTo(head);
        return "OggS"u8[..length].SequenceEqual(head[..length]);
    }
}

using System.Buffers;
using System.Buffers.Binary;

namespace Streamer.Media.Containers.Ogg;

/// <summary>The header fields of one Ogg page (RFC 3533).</summary>
public readonly struct OggPage
{
    /// <summary>A page's header fields.</summary>
    /// <param name="granulePosition">The codec's position at the end of the last packet that ends on this page; -1 when none ends here.</param>
    /// <param name="serial">The logical stream's serial number.</param>
    /// <param name="sequence">The page's number within its logical stream.</param>
    /// <param name="headerType">The header-type flags: 0x01 continued packet, 0x02 beginning of stream, 0x04 end of stream.</param>
    /// <param name="segments">Entries in the lacing table (0–255).</param>
    /// <param name="length">The whole page in bytes: header, lacing table and body.</param>
    public OggPage(long granulePosition, uint serial, uint sequence, byte headerType, int segments, long length)
    {
        GranulePosition = granulePosition;
        Serial = serial;
        Sequence = sequence;
        HeaderType = headerType;
        Segments = segments;
        Length = length;
    }

    /// <summary>The codec's position at the end of the last packet that ends on this page; -1 when none ends here.</summary>
    public long GranulePosition { get; }

    /// <summary>The logical stream's serial number.</summary>
    public uint Serial { get; }

    /// <summary>The page's number within its logical stream.</summary>
    public uint Sequence { get; }

    /// <summary>The header-type flags: 0x01 continued packet, 0x02 beginning of stream, 0x04 end of stream.</summary>
    public byte HeaderType { get; }

    /// <summary>Entries in the lacing table (0–255).</summary>
    public int Segments { get; }

    /// <summary>The whole page in bytes: header, lacing table and body.</summary>
    public long Length { get; }

    /// <summary>Bytes before the body: the 27-byte header and the lacing table.</summary>
    public int HeaderLength => OggPageParser.HeaderBytes + Segments;

    /// <summary>The page's first bytes continue a packet begun on an earlier page.</summary>
    public bool Continued => (HeaderType & 0x01) != 0;

    /// <summary>The first page of a logical stream (its codec's identification header).</summary>
    public bool BeginsStream => (HeaderType & 0x02) != 0;

    /// <summary>The last page of a logical stream.</summary>
    public bool EndsStream => (HeaderType & 0x04) != 0;
}

/// <summary>What <see cref="OggPageParser.TryRead(ref ReadOnlySequence{byte}, out OggPage, out ReadOnlySequence{byte}, out long)"/> found.</summary>
public enum OggReadStatus
{
    /// <summary>A whole page was read and the buffer advanced past it.</summary>
    Page,

    /// <summary>The buffer holds part of a page (or nothing): nothing was consumed.</summary>
    NeedMoreData,

    /// <summary>Bytes that are not a page (or a page whose checksum is wrong) were skipped, up to the next "OggS"
    /// or the last three bytes.</summary>
    Skipped,
}

/// <summary>
/// Splits a byte stream into Ogg pages without copying or allocating: the capture pattern, the 27-byte header, the
/// lacing table, the body, and the page's CRC, which is checked so that a stray "OggS" inside a body (after a lost
/// sync) is never taken for a page (the header-only overload, for counting, skips that check). Works on any <see cref="ReadOnlySequence{T}"/>, however its bytes are split.
/// </summary>
public static class OggPageParser
{
    /// <summary>The fixed part of a page header.</summary>
    public const int HeaderBytes = 27;

    private const int CrcOffset = 22;

    /// <summary>
    /// Reads one page's header from the start of <paramref name="buffer"/> (advanced past what was consumed) without
    /// checking its CRC: for counting pages (the listener bench), where the body is never used.
    /// </summary>
    public static OggReadStatus TryRead(ref ReadOnlySequence<byte> buffer, out OggPage page, out long skippedBytes)
        => TryRead(ref buffer, out page, out _, out skippedBytes, verifyCrc: false);

    /// <summary>
    /// Reads one page from the start of <paramref name="buffer"/>, its CRC checked; on <see cref="OggReadStatus.Page"/>,
    /// <paramref name="pageBytes"/> is the whole page (a slice of the buffer, valid as long as it is) and the buffer is
    /// advanced past it; on <see cref="OggReadStatus.Skipped"/>, <paramref name="skippedBytes"/> were dropped.
    /// </summary>
    public static OggReadStatus TryRead(ref ReadOnlySequence<byte> buffer, out OggPage page, out ReadOnlySequence<byte> pageBytes, out long skippedBytes)
        => TryRead(ref buffer, out page, out pageBytes, out skippedBytes, verifyCrc: true);

    private static OggReadStatus TryRead(ref ReadOnlySequence<byte> buffer, out OggPage page, out ReadOnlySequence<byte> pageBytes, out long skippedBytes, bool verifyCrc)
    {
        page = default;
        pageBytes = default;
        skippedBytes = 0;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.IsNext("OggS"u8))
        {
            if (buffer.Length < 4 && IsPrefixOfCapture(buffer))
            {
                return OggReadStatus.NeedMoreData;
            }

            return Skip(ref buffer, out skippedBytes);
        }

        if (buffer.Length < HeaderBytes)
        {
            return OggReadStatus.NeedMoreData;
        }

        Span<byte> header = stackalloc byte[HeaderBytes];
        buffer.Slice(0, HeaderBytes).CopyTo(header);
        int segments = header[26];
        if (header[4] != 0)
        {
            // Only stream structure version 0 exists: anything else is not a page.
            return Skip(ref buffer, out skippedBytes);
        }

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

        var whole = buffer.Slice(0, length);
        if (verifyCrc && Crc(whole) != BinaryPrimitives.ReadUInt32LittleEndian(header[CrcOffset..]))
        {
            return Skip(ref buffer, out skippedBytes);
        }

        page = new OggPage(
            BinaryPrimitives.ReadInt64LittleEndian(header[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(header[14..]),
            BinaryPrimitives.ReadUInt32LittleEndian(header[18..]),
            header[5],
            segments,
            length);
        pageBytes = whole;
        buffer = buffer.Slice(length);
        return OggReadStatus.Page;
    }

    /// <summary>Copies the page's lacing table (one length per segment) into <paramref name="destination"/> (255 bytes will always do).</summary>
    public static void CopyLacing(in ReadOnlySequence<byte> pageBytes, in OggPage page, Span<byte> destination)
        => pageBytes.Slice(HeaderBytes, page.Segments).CopyTo(destination);

    /// <summary>The CRC over the page with its checksum field read as zero, as RFC 3533 defines it.</summary>
    private static uint Crc(in ReadOnlySequence<byte> page)
    {
        uint crc = 0;
        long at = 0;
        foreach (var segment in page)
        {
            var span = segment.Span;
            // The four checksum bytes count as zeros: split the segment around them where it overlaps them.
            long start = at, end = at + span.Length;
            if (end <= CrcOffset || start >= CrcOffset + 4)
            {
                crc = OggCrc.Compute(span, crc);
            }
            else
            {
                ReadOnlySpan<byte> zero = [0];
                for (int i = 0; i < span.Length;)
                {
                    long position = start + i;
                    if (position is >= CrcOffset and < CrcOffset + 4)
                    {
                        crc = OggCrc.Compute(zero, crc);
                        i++;
                        continue;
                    }

                    // A run of real bytes up to the checksum field or the segment's end.
                    int run = position < CrcOffset ? (int)Math.Min(span.Length - i, CrcOffset - position) : span.Length - i;
                    crc = OggCrc.Compute(span.Slice(i, run), crc);
                    i += run;
                }
            }

            at = end;
        }

        return crc;
    }

    /// <summary>Lost sync (or not Ogg at all): skip to the next 'O' after this byte, where a capture pattern may start.</summary>
    private static OggReadStatus Skip(ref ReadOnlySequence<byte> buffer, out long skippedBytes)
    {
        var next = buffer.Slice(1).PositionOf((byte)'O');
        skippedBytes = next is { } found ? buffer.Slice(0, found).Length : buffer.Length;
        buffer = buffer.Slice(skippedBytes);
        return OggReadStatus.Skipped;
    }

    private static bool IsPrefixOfCapture(ReadOnlySequence<byte> buffer)
    {
        Span<byte> head = stackalloc byte[4];
        int length = (int)buffer.Length;
        buffer.CopyTo(head);
        return "OggS"u8[..length].SequenceEqual(head[..length]);
    }
}

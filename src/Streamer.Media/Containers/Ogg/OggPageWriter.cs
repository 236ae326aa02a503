using System.Buffers.Binary;

namespace Streamer.Media.Containers.Ogg;

/// <summary>Writes Ogg pages of one logical stream: header, lacing table, CRC. Packets never span pages here (an Opus packet fits in one), so no continuation flag. One reused page buffer.</summary>
public sealed class OggPageWriter
{
    /// <summary>Most lacing segments in one page.</summary>
    public const int MaxSegments = 255;
    /// <summary>The largest page in bytes: header, a full lacing table and 255 segments of 255 bytes.</summary>
    public const int MaxPageBytes = 27 + MaxSegments + (MaxSegments * 255);

    private const byte BeginningOfStream = 0x02;
    private const byte EndOfStream = 0x04;

    private readonly Stream _stream;
    private readonly uint _serial;
    private readonly byte[] _page = new byte[MaxPageBytes];
    private uint _sequence;

    /// <summary>Writes pages of the logical stream <paramref name="serial"/> to <paramref name="stream"/> (not owned).</summary>
    public OggPageWriter(Stream stream, uint serial)
    {
        _stream = stream;
        _serial = serial;
    }

    /// <summary>Pages written so far.</summary>
    public long PagesWritten => _sequence;

    /// <summary>Lacing values a packet of <paramref name="length"/> bytes takes (a multiple of 255 needs a trailing 0).</summary>
    public static int SegmentsFor(int length) => (length / 255) + 1;

    /// <summary>
    /// Writes one page holding whole packets (laid out back to back in <paramref name="data"/>,
    /// lengths in <paramref name="lengths"/>); the caller keeps within <see cref="MaxSegments"/>.
    /// </summary>
    public void WritePage(ReadOnlySpan<byte> data, ReadOnlySpan<int> lengths, long granule, bool first, bool last)
    {
        int total = WritePage(_page, _serial, _sequence++, data, lengths, granule, first, last);
        _stream.Write(_page.AsSpan(0, total));
    }

    /// <summary>Bytes the page for <paramref name="lengths"/> takes: header, lacing table and body.</summary>
    public static int PageBytes(ReadOnlySpan<int> lengths, int dataLength)
    {
        int segments = 0;
        foreach (int length in lengths)
        {
            segments += SegmentsFor(length);
        }

        return 27 + segments + dataLength;
    }

    /// <summary>
    /// Builds one page of stream <paramref name="serial"/> (page number <paramref name="sequence"/>) into
    /// <paramref name="page"/> (at least <see cref="PageBytes"/> long) and returns its length: for writers that keep
    /// their own numbering, such as one live stream per HTTP listener. Allocates nothing.
    /// </summary>
    public static int WritePage(Span<byte> page, uint serial, uint sequence, ReadOnlySpan<byte> data, ReadOnlySpan<int> lengths, long granule, bool first, bool last)
    {
        int segments = 0;
        foreach (int length in lengths)
        {
            segments += SegmentsFor(length);
        }

        if (segments > MaxSegments)
        {
            throw new ArgumentException("too many packets for one Ogg page", nameof(lengths));
        }

        "OggS"u8.CopyTo(page);
        page[4] = 0;
        page[5] = (byte)((first ? BeginningOfStream : 0) | (last ? EndOfStream : 0));
        BinaryPrimitives.WriteInt64LittleEndian(page[6..], granule);
        BinaryPrimitives.WriteUInt32LittleEndian(page[14..], serial);
        BinaryPrimitives.WriteUInt32LittleEndian(page[18..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(page[22..], 0);
        page[26] = (byte)segments;
        int at = 27;
        foreach (int length in lengths)
        {
            int remaining = length;
            while (remaining >= 255)
            {
                page[at++] = 255;
                remaining -= 255;
            }

            page[at++] = (byte)remaining;
        }

        data.CopyTo(page[at..]);
        int total = at + data.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(page[22..], OggCrc.Compute(page[..total]));
        return total;
    }
}

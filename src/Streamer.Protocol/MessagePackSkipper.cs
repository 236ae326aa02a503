using System.Buffers;
using System.Buffers.Binary;

namespace Streamer.Protocol;

/// <summary>
/// Skips MessagePack values without trusting any length in them. <c>MessagePackReader.Skip</c> advances by a
/// str/bin/ext length before checking it against what is there (a str32 claiming 4 GB throws
/// <see cref="ArgumentOutOfRangeException"/>) and recurses into nested arrays; this checks every length against
/// the bytes left first and walks nesting with a counter, so untrusted bytes can only make it return false.
/// </summary>
internal static class MessagePackSkipper
{
    /// <summary>
    /// Skips <paramref name="count"/> values from the start of <paramref name="bytes"/>; returns the bytes they
    /// took, or -1 when they are not well-formed or claim more bytes than there are.
    /// </summary>
    public static long TrySkip(ReadOnlySequence<byte> bytes, long count = 1)
    {
        var reader = new SequenceReader<byte>(bytes);
        // Values still to skip: an array or map header adds its elements. Every value takes at least a byte, so a
        // count above the bytes left is a lie, and the counter stays bounded by the input's size.
        long pending = count;
        while (pending > 0)
        {
            if (pending > reader.Remaining || !reader.TryRead(out byte code))
            {
                return -1;
            }

            pending--;
            long skip;
            switch (code)
            {
                case <= 0x7F or >= 0xE0 or 0xC0 or 0xC2 or 0xC3:
                    continue;
                case <= 0x8F:
                    pending += 2L * (code & 0x0F);
                    continue;
                case <= 0x9F:
                    pending += code & 0x0F;
                    continue;
                case <= 0xBF:
                    skip = code & 0x1F;
                    break;
                case 0xC4 or 0xD9:
                    skip = ReadLength(ref reader, 1);
                    break;
                case 0xC5 or 0xDA:
                    skip = ReadLength(ref reader, 2);
                    break;
                case 0xC6 or 0xDB:
                    skip = ReadLength(ref reader, 4);
                    break;
                case 0xC7:
                    skip = ReadLength(ref reader, 1) is >= 0 and var ext8 ? ext8 + 1 : -1;
                    break;
                case 0xC8:
                    skip = ReadLength(ref reader, 2) is >= 0 and var ext16 ? ext16 + 1 : -1;
                    break;
                case 0xC9:
                    skip = ReadLength(ref reader, 4) is >= 0 and var ext32 ? ext32 + 1 : -1;
                    break;
                case 0xCA or 0xCE or 0xD2:
                    skip = 4;
                    break;
                case 0xCB or 0xCF or 0xD3:
                    skip = 8;
                    break;
                case 0xCC or 0xD0:
                    skip = 1;
                    break;
                case 0xCD or 0xD1:
                    skip = 2;
                    break;
                case >= 0xD4 and <= 0xD8:
                    // fixext 1/2/4/8/16: a type byte, then 2^(code - 0xD4) data bytes.
                    skip = 1 + (1L << (code - 0xD4));
                    break;
                case 0xDC or 0xDE:
                    skip = ReadLength(ref reader, 2);
                    pending += skip < 0 ? 0 : (code == 0xDE ? 2 * skip : skip);
                    skip = skip < 0 ? -1 : 0;
                    break;
                case 0xDD or 0xDF:
                    skip = ReadLength(ref reader, 4);
                    pending += skip < 0 ? 0 : (code == 0xDF ? 2 * skip : skip);
                    skip = skip < 0 ? -1 : 0;
                    break;
                default:
                    // 0xC1 is never used.
                    return -1;
            }

            if (skip < 0 || skip > reader.Remaining)
            {
                return -1;
            }

            reader.Advance(skip);
        }

        return reader.Consumed;
    }

    /// <summary>A big-endian unsigned length of 1, 2 or 4 bytes, or -1 when the bytes are not there.</summary>
    private static long ReadLength(ref SequenceReader<byte> reader, int size)
    {
        Span<byte> length = stackalloc byte[4];
        if (!reader.TryCopyTo(length[..size]))
        {
            return -1;
        }

        reader.Advance(size);
        return size switch
        {
            1 => length[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(length),
            _ => BinaryPrimitives.ReadUInt32BigEndian(length),
        };
    }
}

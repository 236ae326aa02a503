using System.Buffers;
using MessagePack;

namespace Streamer.Protocol;

/// <summary>
/// Parses frames from a byte sequence: <c>u64 big-endian length | MessagePack header | payload</c>.
/// A pure function of its input, so it behaves the same however the bytes were split into segments.
/// </summary>
internal static class FrameParser
{
    /// <summary>The length prefix size in bytes.</summary>
    public const int PrefixLength = 8;

    /// <summary>Default largest frame body (header + payload) accepted: 1 MiB.</summary>
    public const long DefaultMaxFrameLength = 1024 * 1024;

    private const int MaxHeaderFields = 64;

    /// <summary>
    /// Tries to read one frame. On <see cref="FrameReadStatus.Frame"/> the buffer is sliced past it and the
    /// frame's payload is a slice of the original buffer. The length is checked before anything is buffered.
    /// </summary>
    /// <remarks><paramref name="announcedLength"/> is the prefix as the peer sent it, an unsigned 64-bit number
    /// (shown as such: a prefix of all ones is 18446744073709551615 bytes, not -1).</remarks>
    public static FrameReadStatus TryRead(ref ReadOnlySequence<byte> buffer, long maxFrameLength, out Frame frame, out ulong announcedLength)
    {
        frame = default;
        announcedLength = 0;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadBigEndian(out long length))
        {
            return FrameReadStatus.NeedMoreData;
        }

        announcedLength = unchecked((ulong)length);
        // A negative long is a u64 above 2^63: far past any maximum.
        if (length < 1 || length > maxFrameLength)
        {
            return length > maxFrameLength || length < 0 ? FrameReadStatus.TooLarge : FrameReadStatus.Malformed;
        }

        if (reader.Remaining < length)
        {
            return FrameReadStatus.NeedMoreData;
        }

        var body = buffer.Slice(PrefixLength, length);
        if (!TryReadHeader(body, out var header, out long headerLength))
        {
            return FrameReadStatus.Malformed;
        }

        frame = new Frame(header, body.Slice(headerLength));
        buffer = buffer.Slice(body.End);
        return FrameReadStatus.Frame;
    }

    /// <summary>Reads the MessagePack header at the start of a frame body.</summary>
    public static bool TryReadHeader(ReadOnlySequence<byte> body, out FrameHeader header, out long headerLength)
    {
        header = default;
        headerLength = 0;
        var reader = new MessagePackReader(body);
        try
        {
            if (reader.NextMessagePackType != MessagePackType.Array)
            {
                return false;
            }

            int fields = reader.ReadArrayHeader();
            if (fields < FrameHeader.FieldCount || fields > MaxHeaderFields)
            {
                return false;
            }

            if (reader.NextMessagePackType != MessagePackType.Integer)
            {
                return false;
            }

            ulong kind = reader.ReadUInt64();
            uint sequence = reader.ReadUInt32();
            ulong timestamp = reader.ReadUInt64();
            long sendTime = reader.ReadInt64();
            if (kind > byte.MaxValue)
            {
                return false;
            }

            // The fifth element, when it is an integer, is the presentation time; anything else there (a newer peer's
            // idea) and every further field is skipped without trusting its length (see MessagePackSkipper).
            long presentation = FrameHeader.NoPresentationTime;
            int known = FrameHeader.FieldCount;
            if (fields >= FrameHeader.FieldCountWithPresentation && reader.NextMessagePackType == MessagePackType.Integer)
            {
                presentation = reader.ReadInt64();
                known = FrameHeader.FieldCountWithPresentation;
            }

            long extra = MessagePackSkipper.TrySkip(body.Slice(reader.Position), fields - known);
            if (extra < 0)
            {
                return false;
            }

            header = new FrameHeader((FrameKind)kind, sequence, timestamp, sendTime, presentation);
            headerLength = reader.Consumed + extra;
            return true;
        }
        catch (MessagePackSerializationException)
        {
            return false;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
        catch (ArgumentOutOfRangeException)
        {
            // What MessagePackReader throws when a length in the bytes runs past their end: still just bad bytes.
            return false;
        }
    }
}

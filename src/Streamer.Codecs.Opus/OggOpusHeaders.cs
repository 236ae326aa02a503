using System.Buffers.Binary;

namespace Streamer.Codecs.Opus;

/// <summary>
/// The two header packets of an Ogg Opus stream (RFC 7845 §5): the identification header (OpusHead) and the comment
/// header (OpusTags). Shared by the recording writer and the live HTTP stream, so both announce the same way.
/// </summary>
public static class OggOpusHeaders
{
    /// <summary>Bytes of an OpusHead for mapping family 0 (mono or stereo).</summary>
    public const int HeadBytes = 19;

    /// <summary>
    /// Writes OpusHead into <paramref name="destination"/> (at least <see cref="HeadBytes"/>) and returns its length.
    /// <paramref name="inputSampleRate"/> is informational (what the source was); Opus always decodes at 48 kHz.
    /// </summary>
    public static int WriteHead(Span<byte> destination, int channels, int preSkip, int inputSampleRate)
    {
        if (channels is < 1 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Ogg Opus mapping family 0 carries 1 or 2 channels");
        }

        var head = destination[..HeadBytes];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1;
        head[9] = (byte)channels;
        BinaryPrimitives.WriteUInt16LittleEndian(head[10..], (ushort)preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(head[12..], (uint)inputSampleRate);
        BinaryPrimitives.WriteInt16LittleEndian(head[16..], 0);
        head[18] = 0;
        return HeadBytes;
    }

    /// <summary>Bytes of an OpusTags with <paramref name="vendorLength"/> bytes of vendor string and no comments.</summary>
    public static int TagsBytes(int vendorLength) => 8 + 4 + vendorLength + 4;

    /// <summary>Writes OpusTags (the vendor string, no user comments) into <paramref name="destination"/> and returns its length.</summary>
    public static int WriteTags(Span<byte> destination, ReadOnlySpan<byte> vendor)
    {
        var tags = destination[..TagsBytes(vendor.Length)];
        "OpusTags"u8.CopyTo(tags);
        BinaryPrimitives.WriteUInt32LittleEndian(tags[8..], (uint)vendor.Length);
        vendor.CopyTo(tags[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(tags[(12 + vendor.Length)..], 0);
        return tags.Length;
    }
}

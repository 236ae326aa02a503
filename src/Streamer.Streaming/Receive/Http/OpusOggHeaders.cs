using System.Buffers;
using System.Buffers.Binary;

namespace Streamer.Streaming.Receive.Http;

/// <summary>The fields of an Ogg Opus identification header (RFC 7845 §5.1) a receiver needs.</summary>
/// <param name="Channels">Output channels.</param>
/// <param name="PreSkip">48 kHz samples to drop at the start of the stream.</param>
/// <param name="InputSampleRate">The encoder's input rate (informative: Opus always decodes at 48 kHz here).</param>
/// <param name="MappingFamily">Channel mapping family: 0 (mono/stereo) is what the decoder plays.</param>
internal readonly record struct OpusHead(int Channels, int PreSkip, int InputSampleRate, int MappingFamily);

/// <summary>Reads Ogg Opus headers and Opus packet durations (RFC 6716 §3.1), without allocating.</summary>
internal static class OpusOggHeaders
{
    /// <summary>Ogg Opus granule positions count 48 kHz samples, whatever the input rate.</summary>
    public const int GranuleRate = 48000;

    /// <summary>What the first packet of a logical stream says it carries, for messages: "Opus", "Vorbis", "FLAC", "Theora", "Speex" or null.</summary>
    public static string? Identify(in ReadOnlySequence<byte> packet)
    {
        Span<byte> head = stackalloc byte[8];
        int length = (int)Math.Min(head.Length, packet.Length);
        packet.Slice(0, length).CopyTo(head);
        head = head[..length];
        if (head.StartsWith("OpusHead"u8))
        {
            return "Opus";
        }

        if (head.StartsWith("\u0001vorbis"u8))
        {
            return "Vorbis";
        }

        if (head.StartsWith("\u007fFLAC"u8))
        {
            return "FLAC";
        }

        if (head.StartsWith("\u0080theora"u8))
        {
            return "Theora";
        }

        return head.StartsWith("Speex"u8) ? "Speex" : null;
    }

    /// <summary>Parses an OpusHead packet; false when it is too short or of an unknown major version.</summary>
    public static bool TryReadHead(in ReadOnlySequence<byte> packet, out OpusHead head)
    {
        head = default;
        Span<byte> bytes = stackalloc byte[19];
        if (packet.Length < bytes.Length)
        {
            return false;
        }

        packet.Slice(0, bytes.Length).CopyTo(bytes);
        if (!bytes.StartsWith("OpusHead"u8) || (bytes[8] & 0xF0) != 0)
        {
            return false;
        }

        head = new OpusHead(bytes[9], BinaryPrimitives.ReadUInt16LittleEndian(bytes[10..]), (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]), bytes[18]);
        return head.Channels > 0;
    }

    /// <summary>
    /// The duration of an Opus packet in 48 kHz samples from its TOC byte and frame count; 0 when the packet is
    /// empty or malformed (a decoder then conceals it).
    /// </summary>
    public static int PacketSamples(in ReadOnlySequence<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return 0;
        }

        var reader = new SequenceReader<byte>(packet);
        reader.TryRead(out byte toc);
        int frames;
        switch (toc & 0x03)
        {
            case 0:
                frames = 1;
                break;
            case 1:
            case 2:
                frames = 2;
                break;
            default:
                if (!reader.TryRead(out byte count))
                {
                    return 0;
                }

                frames = count & 0x3F;
                break;
        }

        int samples = frames * FrameSamples(toc >> 3);
        // RFC 6716: no packet lasts more than 120 ms.
        return samples > GranuleRate * 120 / 1000 ? 0 : samples;
    }

    /// <summary>Samples per frame at 48 kHz for a TOC configuration number (0–31).</summary>
    private static int FrameSamples(int config) => config switch
    {
        // SILK-only: 10, 20, 40, 60 ms.
        < 12 => (config & 3) switch { 0 => 480, 1 => 960, 2 => 1920, _ => 2880 },
        // Hybrid: 10, 20 ms.
        < 16 => (config & 1) == 0 ? 480 : 960,
        // CELT-only: 2.5, 5, 10, 20 ms.
        _ => (config & 3) switch { 0 => 120, 1 => 240, 2 => 480, _ => 960 },
    };
}

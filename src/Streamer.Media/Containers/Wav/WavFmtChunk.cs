using System.Buffers.Binary;
using System.Globalization;

namespace Streamer.Media.Containers.Wav;

/// <summary>Validates a "fmt " chunk body and turns it into an <see cref="AudioFormat"/>.</summary>
internal static class WavFmtChunk
{
    public const int MaxChannels = 64;
    public const int MinSampleRate = 1000;
    public const int MaxSampleRate = 768_000;

    /// <summary>Returns null on success, else the problem in a few words.</summary>
    public static string? TryParse(ReadOnlySpan<byte> fmt, out AudioFormat format)
    {
        format = default;
        if (fmt.Length < 16)
        {
            return Invariant($"fmt chunk is {fmt.Length} bytes, shorter than the 16 a WAV needs");
        }

        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        int mask = 0;
        ushort effectiveTag = tag;
        if (tag == WavFormatTags.Extensible)
        {
            if (fmt.Length < 40)
            {
                return Invariant($"WAVE_FORMAT_EXTENSIBLE fmt chunk is {fmt.Length} bytes, shorter than 40");
            }

            mask = BinaryPrimitives.ReadInt32LittleEndian(fmt[20..]);
            effectiveTag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
            if (!fmt.Slice(26, 14).SequenceEqual(WavFormatTags.SubFormatGuidTail))
            {
                return "WAVE_FORMAT_EXTENSIBLE with an unknown sub-format GUID";
            }
        }

        if (channels == 0)
        {
            return "zero channels";
        }

        if (channels > MaxChannels)
        {
            return Invariant($"absurd channel count {channels} (at most {MaxChannels})");
        }

        if (rate == 0)
        {
            return "sample rate is zero";
        }

        if (rate is < MinSampleRate or > MaxSampleRate)
        {
            return Invariant($"sample rate {rate} Hz is out of range ({MinSampleRate} to {MaxSampleRate})");
        }

        SampleEncoding encoding;
        switch (effectiveTag)
        {
            case WavFormatTags.Pcm when bits is 8 or 16 or 24 or 32:
                encoding = bits switch { 8 => SampleEncoding.UInt8, 16 => SampleEncoding.Int16, 24 => SampleEncoding.Int24, _ => SampleEncoding.Int32 };
                break;
            case WavFormatTags.Pcm:
                return Invariant($"unsupported PCM sample size of {bits} bits (8, 16, 24 or 32 are supported)");
            case WavFormatTags.IeeeFloat when bits is 32 or 64:
                encoding = bits == 32 ? SampleEncoding.Float32 : SampleEncoding.Float64;
                break;
            case WavFormatTags.IeeeFloat:
                return Invariant($"unsupported float sample size of {bits} bits (32 or 64 are supported)");
            default:
                return Invariant($"unsupported encoding {WavFormatTags.Describe(effectiveTag)} (format tag 0x{effectiveTag:X4}); convert it to PCM first, e.g. 'sox IN.wav -e signed-integer OUT.wav'");
        }

        int expectedAlign = channels * encoding.BytesPerSample();
        if (blockAlign != expectedAlign)
        {
            return Invariant($"block align {blockAlign} does not match {channels} channel(s) of {bits}-bit samples (expected {expectedAlign})");
        }

        format = new AudioFormat((int)rate, channels, encoding, mask);
        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

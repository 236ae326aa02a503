namespace Streamer.Media.Containers.Wav;

internal static class WavFormatTags
{
    public const ushort Pcm = 0x0001;
    public const ushort IeeeFloat = 0x0003;
    public const ushort Extensible = 0xFFFE;

    /// <summary>The tail shared by every KSDATAFORMAT_SUBTYPE GUID after its leading 16-bit format tag.</summary>
    public static ReadOnlySpan<byte> SubFormatGuidTail =>
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    public static string Describe(ushort tag) => tag switch
    {
        0x0002 => "Microsoft ADPCM",
        0x0006 => "A-law",
        0x0007 => "µ-law",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 => "MPEG",
        0x0055 => "MP3",
        0x2000 => "AC-3",
        _ => "unknown",
    };
}

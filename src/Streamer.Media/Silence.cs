namespace Streamer.Media;

/// <summary>Silence in any encoding.</summary>
public static class Silence
{
    /// <summary>Fills with the zero level of the encoding: 0x80 for unsigned 8-bit, 0 for everything else.</summary>
    public static void Fill(Span<byte> destination, SampleEncoding encoding)
        => destination.Fill(encoding == SampleEncoding.UInt8 ? (byte)0x80 : (byte)0);
}

namespace Streamer.Media.Codecs;

/// <summary>Copies PCM through; conceals a lost frame with silence (the zero level of the encoding).</summary>
internal sealed class PcmDecoder : IPassthroughDecoder
{
    public PcmDecoder(AudioFormat format)
    {
        OutputFormat = format;
    }

    public AudioFormat OutputFormat { get; }

    public int DelaySamples => 0;

    public int Decode(ReadOnlySpan<byte> packet, Span<byte> pcm)
    {
        int length = packet.Length - (packet.Length % OutputFormat.BlockAlign);
        packet[..length].CopyTo(pcm);
        return length;
    }

    public int Conceal(int samples, ReadOnlySpan<byte> nextPacket, Span<byte> pcm)
    {
        int length = samples * OutputFormat.BlockAlign;
        Silence.Fill(pcm[..length], OutputFormat.Encoding);
        return length;
    }

    public void Dispose()
    {
    }
}

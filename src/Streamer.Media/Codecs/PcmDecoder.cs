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
        // Whole sample frames only, and never more than the output holds (an oversize packet is cut, not a crash).
        int length = Math.Min(packet.Length, pcm.Length);
        length -= length % OutputFormat.BlockAlign;
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

namespace Streamer.Media.Codecs;

/// <summary>Turns packets back into PCM, and fills in for packets that never came.</summary>
public interface IAudioDecoder : IDisposable
{
    /// <summary>The PCM layout of the decoded output.</summary>
    AudioFormat OutputFormat { get; }

    /// <summary>Samples per channel the decoder emits before the first real sample (pre-skip), to drop for alignment.</summary>
    int DelaySamples { get; }

    /// <summary>What <see cref="Decode"/> returns for a packet it cannot decode: the caller conceals it like a lost one.</summary>
    const int Corrupt = -1;

    /// <summary>
    /// Decodes one packet into <paramref name="pcm"/>; returns bytes written, or <see cref="Corrupt"/> (nothing
    /// written) for a packet that is not valid for this codec. Never throws for what a peer sent.
    /// </summary>
    int Decode(ReadOnlySpan<byte> packet, Span<byte> pcm);

    /// <summary>
    /// Produces <paramref name="samples"/> samples per channel standing in for a lost packet (codec PLC, a faded
    /// repeat or silence). <paramref name="nextPacket"/> is the packet after the gap when it is already known
    /// (for in-band FEC), else empty. Returns bytes written.
    /// </summary>
    int Conceal(int samples, ReadOnlySpan<byte> nextPacket, Span<byte> pcm);
}

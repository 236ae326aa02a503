namespace Streamer.Media.Codecs;

/// <summary>Turns fixed-size blocks of PCM into packets. Writes into the caller's span: no allocation per frame.</summary>
public interface IAudioEncoder : IDisposable
{
    /// <summary>The PCM layout <see cref="Encode"/> takes; the sender converts the source to it.</summary>
    AudioFormat InputFormat { get; }

    /// <summary>Samples per channel in one packet.</summary>
    int FrameSamples { get; }

    /// <summary>
    /// Algorithmic delay in samples per channel (Opus: its lookahead, the pre-skip): the sender encodes this much
    /// extra padding at the end so the receiver, which drops the decoder's delay, keeps the whole source.
    /// </summary>
    int DelaySamples { get; }

    /// <summary>Upper bound of one packet in bytes: size the destination span with it.</summary>
    int MaxPacketBytes { get; }

    /// <summary>Codec parameters the decoder needs or the user wants to see; sent in the stream info.</summary>
    IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>
    /// Encodes exactly <see cref="FrameSamples"/> × block-align bytes of <see cref="InputFormat"/> PCM (the last
    /// block of a stream is zero-padded by the caller) and returns the packet length.
    /// </summary>
    int Encode(ReadOnlySpan<byte> pcm, Span<byte> packet);
}

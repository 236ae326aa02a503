namespace Streamer.Media.Codecs;

/// <summary>What a codec's packets hold: it decides whether the sender may pass source bytes through untouched.</summary>
public enum CodecPayloadKind
{
    /// <summary>
    /// Packets are the source's own PCM, whole sample frames: the sender slices the file instead of encoding, the
    /// stream info announces the source's format, and a receiver may hand packets on without decoding them.
    /// </summary>
    RawPcm,

    /// <summary>Packets are encoded: the sender converts each block to the encoder's input and encodes it.</summary>
    Encoded,
}

namespace Streamer.Codecs.Opus;

/// <summary>One Opus encoder, managed or libopus, with the settings already applied.</summary>
internal interface IOpusFrameEncoder : IDisposable
{
    /// <summary>Samples per channel the decoder will emit before the first real one (pre-skip).</summary>
    int Lookahead { get; }

    /// <summary>Encodes one frame of interleaved 16-bit PCM; returns the packet's length in bytes.</summary>
    int Encode(ReadOnlySpan<short> pcm, int frameSamples, Span<byte> packet);
}

/// <summary>One Opus decoder, managed or libopus, with libopus' contract for both.</summary>
internal interface IOpusFrameDecoder : IDisposable
{
    /// <summary>
    /// Decodes a packet (or conceals, for an empty one; or rebuilds from FEC) into at most
    /// <paramref name="frameSamples"/> samples per channel; returns the samples per channel written, or a negative
    /// libopus error code (a corrupt packet is <see cref="LibOpus.InvalidPacket"/>) and then nothing is written.
    /// </summary>
    int Decode(ReadOnlySpan<byte> packet, Span<short> pcm, int frameSamples, bool fec);
}

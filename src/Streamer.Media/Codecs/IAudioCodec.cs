namespace Streamer.Media.Codecs;

/// <summary>
/// A codec: a named factory of encoders and decoders. Built-in codecs are registered by the streaming layer's codec
/// registry; a plug-in assembly's public, non-abstract implementations with a parameterless constructor are found and
/// registered by <c>streamer --plugin</c> (see docs/plugins.md). Implementations must be thread-safe factories: one
/// instance makes the encoders and decoders of every session.
/// </summary>
public interface IAudioCodec
{
    /// <summary>The name on the command line and in the stream info, e.g. "pcm", "opus"; unique, case-insensitive.</summary>
    string Name { get; }

    /// <summary>One line for people: what the codec is and what it costs, e.g. "G.711 µ-law, 8 kHz, 64 kbit/s a channel".</summary>
    string Description { get; }

    /// <summary>Whether packets are the source's raw PCM (passed through untouched) or encoded.</summary>
    CodecPayloadKind PayloadKind { get; }

    /// <summary>
    /// Makes an encoder for a source of <paramref name="source"/> format. Throws <see cref="CodecException"/>
    /// with a one-line reason when the settings or the source cannot be encoded.
    /// </summary>
    IAudioEncoder CreateEncoder(AudioFormat source, CodecOptions options);

    /// <summary>
    /// Makes the decoder for a stream the sender announced. Throws <see cref="CodecException"/> when the announced
    /// format or parameters are not valid for this codec.
    /// </summary>
    IAudioDecoder CreateDecoder(CodecStreamInfo stream);
}

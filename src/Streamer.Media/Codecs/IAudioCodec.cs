using Streamer.Protocol;

namespace Streamer.Media.Codecs;

/// <summary>A codec plug-in: one class and one registration in <see cref="CodecRegistry"/>.</summary>
internal interface IAudioCodec
{
    /// <summary>The name on the command line and in the stream info, e.g. "pcm", "opus".</summary>
    string Name { get; }

    /// <summary>
    /// Makes an encoder for a source of <paramref name="source"/> format. Throws <see cref="CodecException"/>
    /// with a one-line reason when the settings or the source cannot be encoded.
    /// </summary>
    IAudioEncoder CreateEncoder(AudioFormat source, CodecOptions options);

    /// <summary>Makes the decoder matching a stream info the sender announced.</summary>
    IAudioDecoder CreateDecoder(StreamInfoMessage info);
}

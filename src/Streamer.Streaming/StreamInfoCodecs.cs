using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Protocol;

namespace Streamer.Streaming;

/// <summary>Turns the wire's stream info into the codec contract's protocol-free <see cref="CodecStreamInfo"/>.</summary>
internal static class StreamInfoCodecs
{
    /// <summary>Throws <see cref="CodecException"/> when the announced sample format is not one this build knows.</summary>
    public static CodecStreamInfo ToCodecStreamInfo(this StreamInfoMessage info)
    {
        if (!SampleEncodingInfo.TryParseWireName(info.SampleFormat, out var encoding))
        {
            throw new CodecException($"{info.Codec} stream has an unknown sample format '{info.SampleFormat}'");
        }

        return new CodecStreamInfo(new AudioFormat(info.SampleRate, info.Channels, encoding, info.ChannelMask), info.FrameSamples, info.Parameters);
    }

    /// <summary>The decoder for a stream as announced on the wire.</summary>
    public static IAudioDecoder CreateDecoder(this IAudioCodec codec, StreamInfoMessage info) => codec.CreateDecoder(info.ToCodecStreamInfo());
}

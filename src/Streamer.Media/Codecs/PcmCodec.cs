using System.Globalization;

namespace Streamer.Media.Codecs;

/// <summary>Uncompressed PCM in the source's own layout: bit-exact, and the sender passes file bytes through untouched.</summary>
public sealed class PcmCodec : IAudioCodec
{
    /// <summary>The codec's name on the command line and the wire: "pcm".</summary>
    public const string CodecName = "pcm";

    /// <inheritdoc/>
    public string Name => CodecName;

    /// <inheritdoc/>
    public string Description => "uncompressed PCM in the source's own format (bit-exact)";

    /// <inheritdoc/>
    public CodecPayloadKind PayloadKind => CodecPayloadKind.RawPcm;

    /// <inheritdoc/>
    public IAudioEncoder CreateEncoder(AudioFormat source, CodecOptions options)
    {
        double samples = options.FrameMilliseconds * source.SampleRate / 1000.0;
        if (options.FrameMilliseconds <= 0 || options.FrameMilliseconds > 1000 || samples < 1)
        {
            throw new CodecException(string.Create(CultureInfo.InvariantCulture, $"pcm frame duration must be from 1 sample to 1000 ms, not {options.FrameMilliseconds} ms"));
        }

        return new PcmEncoder(source, (int)Math.Round(samples));
    }

    /// <inheritdoc/>
    public IAudioDecoder CreateDecoder(CodecStreamInfo stream) => new PcmDecoder(stream.Format);
}

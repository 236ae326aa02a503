using System.Globalization;

namespace Streamer.Media.Codecs;

/// <summary>
/// G.711 telephony: 8 kHz, one byte per sample (64 kbit/s a channel), µ-law (<c>ulaw</c>) or A-law (<c>alaw</c>).
/// Sources at other rates are resampled to 8 kHz by the sender; the receiver gets 8 kHz 16-bit.
/// </summary>
public sealed class G711Codec : IAudioCodec
{
    /// <summary>G.711's only sample rate, in Hz.</summary>
    public const int SampleRate = 8000;

    private readonly bool _alaw;

    /// <summary>A-law when <paramref name="alaw"/> is true, µ-law otherwise.</summary>
    public G711Codec(bool alaw)
    {
        _alaw = alaw;
    }

    /// <inheritdoc/>
    public string Name => _alaw ? "alaw" : "ulaw";

    /// <inheritdoc/>
    public string Description => _alaw ? "G.711 A-law: 8 kHz, 8 bits a sample, 64 kbit/s a channel" : "G.711 µ-law: 8 kHz, 8 bits a sample, 64 kbit/s a channel";

    /// <inheritdoc/>
    public CodecPayloadKind PayloadKind => CodecPayloadKind.Encoded;

    /// <inheritdoc/>
    public IAudioEncoder CreateEncoder(AudioFormat source, CodecOptions options)
    {
        double samples = options.FrameMilliseconds * SampleRate / 1000.0;
        if (options.FrameMilliseconds is <= 0 or > 1000 || samples != Math.Floor(samples))
        {
            throw new CodecException(Invariant($"{Name} frames must be a whole number of 8 kHz samples up to 1000 ms (e.g. 10, 20, 30), not {options.FrameMilliseconds} ms"));
        }

        int bitrate = SampleRate * 8 * source.Channels;
        if (options.Bitrate is { } asked && asked != bitrate)
        {
            throw new CodecException(Invariant($"{Name} always runs at {bitrate / 1000} kbit/s for {source.Channels} channel(s), not {asked / 1000.0} kbit/s"));
        }

        return new G711Encoder(_alaw, new AudioFormat(SampleRate, source.Channels, SampleEncoding.Int16), (int)samples);
    }

    /// <inheritdoc/>
    public IAudioDecoder CreateDecoder(CodecStreamInfo stream)
    {
        if (stream.Format.SampleRate != SampleRate)
        {
            throw new CodecException(Invariant($"{Name} stream must be {SampleRate} Hz, not {stream.Format.SampleRate} Hz"));
        }

        return new G711Decoder(_alaw, new AudioFormat(SampleRate, stream.Format.Channels, SampleEncoding.Int16));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

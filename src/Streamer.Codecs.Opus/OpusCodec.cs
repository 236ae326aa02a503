using System.Globalization;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Protocol;

namespace Streamer.Codecs.Opus;

/// <summary>
/// Opus through Concentus 2.2.2: <c>opus</c> is the fully managed codec (pinned: never libopus behind your back),
/// <c>opus-native</c> the same API over the system libopus. Both take any WAV (converted to 16-bit and resampled to
/// 48 kHz), 1 or 2 channels, and decode to 48 kHz 16-bit; their packets are interchangeable.
/// </summary>
internal sealed class OpusCodec : IAudioCodec
{
    public const string ManagedName = "opus";
    public const string NativeName = "opus-native";

    private readonly bool _native;

    public OpusCodec(bool native)
    {
        _native = native;
    }

    public string Name => _native ? NativeName : ManagedName;

    /// <summary>True for both Opus flavours: their packets can be stored in an Ogg Opus file.</summary>
    public static bool IsOpus(string codecName)
        => codecName.Equals(ManagedName, StringComparison.OrdinalIgnoreCase) || codecName.Equals(NativeName, StringComparison.OrdinalIgnoreCase);

    public IAudioEncoder CreateEncoder(AudioFormat source, CodecOptions options)
        => new OpusAudioEncoder(Name, _native, source, OpusSettings.Parse(Name, options));

    public IAudioDecoder CreateDecoder(StreamInfoMessage info)
    {
        if (info.SampleRate != OpusSettings.SampleRate || info.Channels is < 1 or > 2)
        {
            throw new CodecException(string.Create(CultureInfo.InvariantCulture, $"{Name} stream must be 48000 Hz with 1 or 2 channels, not {info.SampleRate} Hz with {info.Channels}"));
        }

        int preSkip = 0;
        if (info.Parameters.TryGetValue("pre-skip", out string? text)
            && (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out preSkip) || preSkip is < 0 or > OpusSettings.SampleRate))
        {
            throw new CodecException($"{Name} stream announced a bad pre-skip '{text}'");
        }

        bool fec = info.Parameters.TryGetValue("fec", out string? fecText) && fecText == "true";
        return new OpusAudioDecoder(_native, info.Channels, preSkip, fec);
    }
}

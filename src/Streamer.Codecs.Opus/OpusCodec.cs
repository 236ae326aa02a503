using System.Globalization;
using Streamer.Media;
using Streamer.Media.Codecs;

namespace Streamer.Codecs.Opus;

/// <summary>
/// Opus through Concentus 2.2.2: <c>opus</c> is the fully managed codec (pinned: never libopus behind your back),
/// <c>opus-native</c> the same API over the system libopus. Both take any WAV (converted to 16-bit and resampled to
/// 48 kHz), 1 or 2 channels, and decode to 48 kHz 16-bit; their packets are interchangeable.
/// </summary>
public sealed class OpusCodec : IAudioCodec
{
    /// <summary>The managed codec's name: "opus".</summary>
    public const string ManagedName = "opus";
    /// <summary>The libopus codec's name: "opus-native".</summary>
    public const string NativeName = "opus-native";

    private readonly bool _native;

    /// <summary>The libopus codec when <paramref name="native"/> is true, the managed one otherwise.</summary>
    public OpusCodec(bool native)
    {
        _native = native;
    }

    /// <inheritdoc/>
    public string Name => _native ? NativeName : ManagedName;

    /// <inheritdoc/>
    public string Description => _native ? "Opus through the system libopus: 48 kHz, 6 to 510 kbit/s" : "Opus, fully managed (Concentus): 48 kHz, 6 to 510 kbit/s";

    /// <inheritdoc/>
    public CodecPayloadKind PayloadKind => CodecPayloadKind.Encoded;

    /// <summary>True for both Opus flavours: their packets can be stored in an Ogg Opus file.</summary>
    public static bool IsOpus(string codecName)
        => codecName.Equals(ManagedName, StringComparison.OrdinalIgnoreCase) || codecName.Equals(NativeName, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public IAudioEncoder CreateEncoder(AudioFormat source, CodecOptions options)
        => new OpusAudioEncoder(Name, _native, source, OpusSettings.Parse(Name, options));

    /// <inheritdoc/>
    public IAudioDecoder CreateDecoder(CodecStreamInfo stream)
    {
        var format = stream.Format;
        if (format.SampleRate != OpusSettings.SampleRate || format.Channels is < 1 or > 2)
        {
            throw new CodecException(string.Create(CultureInfo.InvariantCulture, $"{Name} stream must be 48000 Hz with 1 or 2 channels, not {format.SampleRate} Hz with {format.Channels}"));
        }

        int preSkip = stream.GetPreSkip(OpusSettings.SampleRate);
        return new OpusAudioDecoder(_native, format.Channels, preSkip, stream.GetFlag("fec"));
    }
}

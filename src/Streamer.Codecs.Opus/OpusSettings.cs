using System.Globalization;
using Concentus.Enums;
using Streamer.Media.Codecs;

namespace Streamer.Codecs.Opus;

/// <summary>The Opus encoder settings, mapped from the validated <see cref="CodecOptions"/>.</summary>
internal sealed record OpusSettings(
    int FrameSamples,
    int Bitrate,
    int Complexity,
    OpusApplication Application,
    bool Vbr,
    bool Fec,
    int ExpectedLossPercent,
    bool Dtx)
{
    public const int SampleRate = 48000;
    public const int DefaultBitrate = 64000;
    public const int MinBitrate = 6000;
    public const int MaxBitrate = 510000;

    private static readonly double[] FrameDurations = [2.5, 5, 10, 20, 40, 60];

    public static OpusSettings Parse(string codec, CodecOptions options)
    {
        double ms = options.FrameMilliseconds;
        if (Array.IndexOf(FrameDurations, ms) < 0)
        {
            throw new CodecException(Invariant($"{codec} frames last 2.5, 5, 10, 20, 40 or 60 ms, not {ms} ms"));
        }

        int bitrate = options.Bitrate ?? DefaultBitrate;
        if (bitrate is < MinBitrate or > MaxBitrate)
        {
            throw new CodecException(Invariant($"{codec} bitrate must be from {MinBitrate / 1000} to {MaxBitrate / 1000} kbit/s, not {bitrate / 1000.0} kbit/s"));
        }

        // The ranges are CodecOptions' to check (one place); only Opus's own rules are checked here.
        options.Validate();
        int complexity = options.Complexity ?? 10;
        var application = (options.Application ?? CodecApplication.Audio) switch
        {
            CodecApplication.Voip => OpusApplication.OPUS_APPLICATION_VOIP,
            CodecApplication.LowDelay => OpusApplication.OPUS_APPLICATION_RESTRICTED_LOWDELAY,
            _ => OpusApplication.OPUS_APPLICATION_AUDIO,
        };
        bool fec = options.Fec;
        int loss = options.ExpectedLossPercent ?? (fec ? 10 : 0);

        return new OpusSettings(
            (int)(ms * SampleRate / 1000),
            bitrate,
            complexity,
            application,
            options.Vbr ?? true,
            fec,
            loss,
            options.Dtx);
    }

    public static string ApplicationName(OpusApplication application) => application switch
    {
        OpusApplication.OPUS_APPLICATION_VOIP => "voip",
        OpusApplication.OPUS_APPLICATION_RESTRICTED_LOWDELAY => "lowdelay",
        _ => "audio",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

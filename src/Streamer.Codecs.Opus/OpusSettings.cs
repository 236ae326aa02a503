using System.Globalization;
using Concentus.Enums;
using Streamer.Media.Codecs;

namespace Streamer.Codecs.Opus;

/// <summary>The Opus encoder settings, parsed and range-checked from <see cref="CodecOptions"/>.</summary>
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

        var settings = options.Settings;
        int complexity = ReadInt(codec, settings, "complexity", 10, 0, 10);
        var application = (settings.TryGetValue("application", out string? app) ? app : "audio") switch
        {
            "audio" => OpusApplication.OPUS_APPLICATION_AUDIO,
            "voip" => OpusApplication.OPUS_APPLICATION_VOIP,
            "lowdelay" => OpusApplication.OPUS_APPLICATION_RESTRICTED_LOWDELAY,
            _ => throw new CodecException($"{codec} application must be audio, voip or lowdelay, not '{app}'"),
        };
        bool fec = ReadBool(settings, "fec", false);
        int loss = ReadInt(codec, settings, "expected-loss", fec ? 10 : 0, 0, 100);
        return new OpusSettings(
            (int)(ms * SampleRate / 1000),
            bitrate,
            complexity,
            application,
            ReadBool(settings, "vbr", true),
            fec,
            loss,
            ReadBool(settings, "dtx", false));
    }

    public static string ApplicationName(OpusApplication application) => application switch
    {
        OpusApplication.OPUS_APPLICATION_VOIP => "voip",
        OpusApplication.OPUS_APPLICATION_RESTRICTED_LOWDELAY => "lowdelay",
        _ => "audio",
    };

    private static int ReadInt(string codec, IReadOnlyDictionary<string, string> settings, string key, int fallback, int min, int max)
    {
        if (!settings.TryGetValue(key, out string? text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new CodecException(Invariant($"{codec} {key} must be from {min} to {max}, not '{text}'"));
        }

        return value;
    }

    private static bool ReadBool(IReadOnlyDictionary<string, string> settings, string key, bool fallback)
        => settings.TryGetValue(key, out string? text) ? text is "true" or "1" or "on" : fallback;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using Streamer.Media.Codecs;
using Streamer.Streaming;

namespace Streamer.Bench.Matrix;

/// <summary>A codec column of the matrix: a codec name and an optional bitrate in kbit/s, as in <c>opus:64</c>.</summary>
/// <param name="Label">What the user typed, used in the tables.</param>
/// <param name="Codec">The codec.</param>
/// <param name="Options">Its options (bitrate, packet duration).</param>
public sealed record MatrixCodec(string Label, IAudioCodec Codec, CodecOptions Options)
{
    /// <summary>Parses <c>NAME</c> or <c>NAME:KBPS</c> against <paramref name="registry"/>; false with one line in <paramref name="error"/>.</summary>
    /// <param name="text">For example <c>pcm</c>, <c>opus:64</c>, <c>opus:24</c>.</param>
    /// <param name="registry">Where codec names are looked up.</param>
    /// <param name="frameMilliseconds">Packet duration for every codec.</param>
    /// <param name="codec">The parsed column.</param>
    /// <param name="error">Why it did not parse.</param>
    public static bool TryParse(string text, CodecRegistry registry, double frameMilliseconds, out MatrixCodec codec, out string error)
    {
        ArgumentNullException.ThrowIfNull(registry);
        codec = null!;
        error = string.Empty;
        string trimmed = text.Trim();
        int colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? trimmed : trimmed[..colon];
        int? bitrate = null;
        if (colon >= 0)
        {
            if (!double.TryParse(trimmed[(colon + 1)..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double kbps) || kbps <= 0 || kbps > 10_000)
            {
                error = $"--codec '{text}': the part after ':' is a bitrate in kbit/s, as in opus:64";
                return false;
            }

            bitrate = (int)Math.Round(kbps * 1000);
        }

        if (!registry.TryGet(name, out var audioCodec))
        {
            error = $"--codec '{text}': unknown codec '{name}' (say {string.Join(", ", registry.Names)})";
            return false;
        }

        codec = new MatrixCodec(trimmed, audioCodec, new CodecOptions { FrameMilliseconds = frameMilliseconds, Bitrate = bitrate });
        return true;
    }
}

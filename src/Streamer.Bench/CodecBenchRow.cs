namespace Streamer.Bench;

/// <summary>One codec at one setting, measured on one clip.</summary>
/// <param name="Codec">Registered codec name, or "opusenc" for the reference tool.</param>
/// <param name="Settings">The settings that matter, e.g. "64 kbit/s, 20 ms, complexity 10".</param>
/// <param name="Kbps">Payload bitrate actually produced.</param>
/// <param name="EncodeRealtime">Seconds of audio encoded per second of one core.</param>
/// <param name="DecodeRealtime">Seconds of audio decoded per second of one core.</param>
/// <param name="SnrDb">Against the source (resampled to the codec's rate) after alignment; +∞ when lossless.</param>
/// <param name="LagSamples">Residual misalignment found after removing the codec delay (0 when aligned).</param>
/// <param name="DelayMs">Algorithmic delay: frame plus lookahead.</param>
/// <param name="MeanPacketBytes">Mean encoded packet size in bytes.</param>
/// <param name="MaxPacketBytes">Largest encoded packet in bytes.</param>
/// <param name="AllocBytesPerFrame">Managed bytes allocated per frame, encode plus decode.</param>
/// <param name="Gen0PerMinute">Gen 0 collections per minute of audio (encode plus decode).</param>
/// <param name="GcPauseMsPerMinute">GC pause time per minute of audio.</param>
/// <param name="Note">Why a row is missing figures, or how it was measured.</param>
public sealed record CodecBenchRow(
    string Codec,
    string Settings,
    double Kbps,
    double EncodeRealtime,
    double DecodeRealtime,
    double SnrDb,
    int LagSamples,
    double DelayMs,
    double MeanPacketBytes,
    int MaxPacketBytes,
    double AllocBytesPerFrame,
    double Gen0PerMinute,
    double GcPauseMsPerMinute,
    string? Note = null)
{
    /// <summary>A row for a codec that could not be measured: only names and <paramref name="note"/> (why).</summary>
    public static CodecBenchRow Skipped(string codec, string settings, string note)
        => new(codec, settings, double.NaN, double.NaN, double.NaN, double.NaN, 0, double.NaN, double.NaN, 0, double.NaN, double.NaN, double.NaN, note);
}

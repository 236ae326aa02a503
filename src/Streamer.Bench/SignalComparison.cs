using System.Runtime.InteropServices;

namespace Streamer.Bench;

/// <summary>How close decoded audio is to the source: signal-to-noise ratio of 16-bit interleaved samples.</summary>
internal static class SignalComparison
{
    /// <summary>SNR in dB of <paramref name="decoded"/> against <paramref name="reference"/> over their common length; +∞ when identical.</summary>
    public static double SnrDb(ReadOnlySpan<byte> reference, ReadOnlySpan<byte> decoded, int lagSamples = 0, int channels = 1)
    {
        var a = MemoryMarshal.Cast<byte, short>(reference);
        var b = MemoryMarshal.Cast<byte, short>(decoded);
        int shift = lagSamples * channels;
        double signal = 0, noise = 0;
        for (int i = Math.Max(0, -shift); i < a.Length && i + shift < b.Length; i++)
        {
            double x = a[i];
            double e = x - b[i + shift];
            signal += x * x;
            noise += e * e;
        }

        return noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
    }

    /// <summary>The lag (in frames, decoded later than reference when positive) within ±<paramref name="maxLag"/> with the best SNR over a window.</summary>
    public static int BestLag(ReadOnlySpan<byte> reference, ReadOnlySpan<byte> decoded, int channels, int maxLag, int windowFrames)
    {
        int windowBytes = Math.Min(reference.Length, windowFrames * channels * sizeof(short));
        var window = reference[..windowBytes];
        int best = 0;
        double bestSnr = double.NegativeInfinity;
        for (int lag = -maxLag; lag <= maxLag; lag++)
        {
            double snr = SnrDb(window, decoded, lag, channels);
            if (snr > bestSnr)
            {
                bestSnr = snr;
                best = lag;
            }
        }

        return best;
    }
}

namespace Streamer.Media.Playout;

/// <summary>
/// Holds playout on its presentation schedule against the output's clock drift: a PI controller on how late the
/// next sample is (its presentation time against when the output will present it) gives a speed correction in ppm,
/// carried out as single sample-frame slips spread through each block (<see cref="SampleSlips"/>). The integral term
/// converges to the card's clock error, which it reports. Unlike <see cref="DriftController"/> it needs no smoothing
/// or dead band: the error is measured against times, not a sawtooth depth, to the sample.
/// Output (audio) thread only; allocates nothing.
/// </summary>
internal sealed class SyncController
{
    // Critically damped with a ~0.5 s time constant: kp = 2/s (ppm per µs of error), ki = kp²/4.
    private const double ProportionalPerSecond = 2;
    private const double IntegralPerSecondSquared = 1;

    /// <summary>Fastest correction: 0.1 % speed, one sample frame in a thousand (Snapcast slips up to 0.05 %).</summary>
    public const double MaxCorrectionPpm = 1000;

    private const double MaxIntegralPpm = 800;

    private readonly int _sampleRate;
    private double _integralPpm;
    private double _accumulator;

    public SyncController(int sampleRate)
    {
        _sampleRate = sampleRate;
    }

    /// <summary>The estimated clock error of the output against the sender, in ppm (positive: the output is slow).</summary>
    public double DriftPpm => Volatile.Read(ref _integralPpm);

    /// <summary>Starts over (playout was just placed on its schedule exactly).</summary>
    public void Restart()
    {
        _accumulator = 0;
    }

    /// <summary>
    /// For a block of <paramref name="frames"/> sample frames whose next sample is <paramref name="lateUs"/> late
    /// (negative: early), how many sample frames to drop (positive) or repeat (negative) in it.
    /// </summary>
    public int Update(double lateUs, int frames)
    {
        double seconds = (double)frames / _sampleRate;
        double integral = Math.Clamp(_integralPpm + (IntegralPerSecondSquared * lateUs * seconds), -MaxIntegralPpm, MaxIntegralPpm);
        Volatile.Write(ref _integralPpm, integral);
        double correctionPpm = Math.Clamp((ProportionalPerSecond * lateUs) + integral, -MaxCorrectionPpm, MaxCorrectionPpm);
        _accumulator += correctionPpm * 1e-6 * frames;
        int adjust = (int)Math.Truncate(_accumulator);
        _accumulator -= adjust;
        return adjust;
    }
}

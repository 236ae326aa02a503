namespace Streamer.Media.Playout;

/// <summary>
/// Keeps a clocked buffer at its target by playing very slightly faster or slower: a PI controller on the
/// smoothed depth error gives a speed correction in ppm, carried out by dropping or repeating single sample
/// frames spread through each block. The integral term converges to the clock drift between sender and sound
/// card, which it reports. Offsets within half a packet are noise in the depth measurement (audio arrives in
/// packet-sized steps) and are left alone, so playback stays bit-exact while the clocks agree; once the error
/// leaves that band the controller engages and steers to the target itself. Consumer (audio) thread only.
/// </summary>
internal sealed class DriftController
{
    // Loop gains for critical damping with a ~10 s time constant: kp = 0.1/s, ki = kp²/4.
    private const double ProportionalPpmPerMs = 100;
    private const double IntegralPpmPerMsSecond = 2.5;
    private const double MaxCorrectionPpm = 5000;
    private const double CatchUpPpmPerMs = 200;
    private const double MaxCatchUpPpm = 20000;
    private const double MaxIntegralPpm = 2000;
    private const double SmoothingSeconds = 1;
    private const double ReleaseErrorMs = 0.5;
    private const double ReleaseIntegralPpm = 1;

    private readonly int _sampleRate;
    private double _smoothedDepthMs = double.NaN;
    private double _integralPpm;
    private double _accumulator;
    private bool _engaged;
    private double _driftPpm;

    public DriftController(int sampleRate)
    {
        _sampleRate = sampleRate;
    }

    /// <summary>The estimated drift of the sender's clock against ours, in ppm (positive: the sender is faster).</summary>
    public double DriftPpm => Volatile.Read(ref _driftPpm);

    /// <summary>The smoothed depth, in ms (NaN before the first update).</summary>
    public double SmoothedDepthMilliseconds => _smoothedDepthMs;

    /// <summary>Forget the smoothed depth (after an underrun the buffer restarts at its target).</summary>
    public void Restart()
    {
        _smoothedDepthMs = double.NaN;
        _accumulator = 0;
    }

    /// <summary>
    /// Called once per clocked block of <paramref name="frames"/> sample frames with the depth before the read.
    /// Returns how many sample frames to drop (positive) or repeat (negative) in this block.
    /// </summary>
    public int Update(double depthMs, double targetMs, double deadBandMs, int frames)
    {
        double seconds = (double)frames / _sampleRate;
        _smoothedDepthMs = double.IsNaN(_smoothedDepthMs)
            ? depthMs
            : _smoothedDepthMs + ((depthMs - _smoothedDepthMs) * Math.Min(1, seconds / SmoothingSeconds));
        double error = _smoothedDepthMs - targetMs;
        if (!_engaged)
        {
            if (Math.Abs(error) <= deadBandMs)
            {
                return 0;
            }

            _engaged = true;
        }
        else if (Math.Abs(error) < ReleaseErrorMs && Math.Abs(_integralPpm) < ReleaseIntegralPpm)
        {
            _engaged = false;
            _integralPpm = 0;
            _accumulator = 0;
            Volatile.Write(ref _driftPpm, 0);
            return 0;
        }

        double correctionPpm;
        if (Math.Abs(error) < 2 * deadBandMs)
        {
            // Only errors inside the dead band teach the integral: larger ones come from the target moving (the
            // adaptive target decays after a jitter spike) or a late start, not from drift, and would wind it up.
            if (Math.Abs(error) < deadBandMs)
            {
                _integralPpm = Math.Clamp(_integralPpm + (IntegralPpmPerMsSecond * error * seconds), -MaxIntegralPpm, MaxIntegralPpm);
            }

            correctionPpm = Math.Clamp((ProportionalPpmPerMs * error) + _integralPpm, -MaxCorrectionPpm, MaxCorrectionPpm);
        }
        else
        {
            // Far off target (audio piled up while the device started, or the target moved): catch up at up to 2 %
            // speed, one sample frame in 50, rather than by skipping or inserting a chunk.
            correctionPpm = Math.Clamp((CatchUpPpmPerMs * error) + _integralPpm, -MaxCatchUpPpm, MaxCatchUpPpm);
        }

        Volatile.Write(ref _driftPpm, _integralPpm);
        _accumulator += correctionPpm * 1e-6 * frames;
        int adjust = (int)Math.Truncate(_accumulator);
        _accumulator -= adjust;
        return adjust;
    }
}

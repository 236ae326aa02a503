namespace Streamer.Media.Playout;

/// <summary>
/// The strategy <c>adaptive:pNN</c>: the target is the NNth percentile of the recent arrival delays (each frame's
/// transit above the fastest of the last 10 s, from the same histogram as <see cref="AdaptiveTargetDelay"/>), plus the
/// same packet/block headroom, without the default strategy's decaying peak hold: it comes down as soon as the
/// delays do, trading underruns after a burst for less latency. NN near 100 covers nearly every late frame.
/// </summary>
internal sealed class PercentileTargetDelay : ITargetDelayPolicy
{
    private const double SafetyMilliseconds = 2;

    private readonly JitterEstimator _estimator;

    public PercentileTargetDelay(double percentile, double minimumMilliseconds, double maximumMilliseconds)
    {
        MinimumMilliseconds = minimumMilliseconds;
        MaximumMilliseconds = maximumMilliseconds;
        TargetMilliseconds = minimumMilliseconds;
        _estimator = new JitterEstimator(maximumMilliseconds, percentile, holdPeaks: false);
    }

    public double TargetMilliseconds { get; private set; }

    public double MinimumMilliseconds { get; }

    public double MaximumMilliseconds { get; }

    public double JitterMilliseconds => _estimator.JitterMilliseconds;

    public void Observe(in FrameArrival arrival)
    {
        _estimator.Add(arrival.ArrivalMicroseconds, arrival.MediaMicroseconds);
        double granularity = (arrival.FrameMilliseconds + arrival.BlockMilliseconds) / 2;
        TargetMilliseconds = Math.Clamp(_estimator.JitterMilliseconds + granularity + SafetyMilliseconds, MinimumMilliseconds, MaximumMilliseconds);
    }
}

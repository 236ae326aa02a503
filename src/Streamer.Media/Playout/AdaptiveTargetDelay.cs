namespace Streamer.Media.Playout;

/// <summary>
/// The strategy <c>adaptive</c>: the target follows the measured arrival jitter (<see cref="JitterEstimator"/>),
/// plus the headroom packet-sized arrivals and block-sized reads need, within a minimum and a maximum.
/// <c>adaptive:pNN</c> is the same with the NNth percentile of the recent arrival delays and without the default's
/// decaying peak hold: it comes down as soon as the delays do, trading underruns after a burst for less latency.
/// </summary>
internal sealed class AdaptiveTargetDelay : ITargetDelayPolicy
{
    private const double SafetyMilliseconds = 2;

    private readonly JitterEstimator _estimator;

    /// <summary>The default strategy: the 95th percentile with the peaks held.</summary>
    public AdaptiveTargetDelay(double minimumMilliseconds, double maximumMilliseconds)
        : this(minimumMilliseconds, maximumMilliseconds, percentile: null)
    {
    }

    /// <summary><paramref name="percentile"/> (0–1) alone, no peak hold; null: the default strategy.</summary>
    public AdaptiveTargetDelay(double minimumMilliseconds, double maximumMilliseconds, double? percentile)
    {
        MinimumMilliseconds = minimumMilliseconds;
        MaximumMilliseconds = maximumMilliseconds;
        TargetMilliseconds = minimumMilliseconds;
        Percentile = percentile;
        _estimator = percentile is { } p
            ? new JitterEstimator(maximumMilliseconds, p, holdPeaks: false)
            : new JitterEstimator(maximumMilliseconds);
    }

    /// <summary>The percentile an <c>adaptive:pNN</c> policy follows; null for the default strategy.</summary>
    public double? Percentile { get; }

    public double TargetMilliseconds { get; private set; }

    public double MinimumMilliseconds { get; }

    public double MaximumMilliseconds { get; }

    public double JitterMilliseconds => _estimator.JitterMilliseconds;

    public void Observe(in FrameArrival arrival)
    {
        _estimator.Add(arrival.ArrivalMicroseconds, arrival.MediaMicroseconds);

        // Audio arrives in packet-sized steps and leaves in device blocks: half of each is headroom the depth
        // swings through even on a perfect network.
        double granularity = (arrival.FrameMilliseconds + arrival.BlockMilliseconds) / 2;
        TargetMilliseconds = Math.Clamp(_estimator.JitterMilliseconds + granularity + SafetyMilliseconds, MinimumMilliseconds, MaximumMilliseconds);
    }
}

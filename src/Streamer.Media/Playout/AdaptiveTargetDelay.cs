namespace Streamer.Media.Playout;

/// <summary>
/// The strategy <c>adaptive</c>: the target follows the measured arrival jitter (<see cref="JitterEstimator"/>),
/// plus the headroom packet-sized arrivals and block-sized reads need, within a minimum and a maximum.
/// </summary>
internal sealed class AdaptiveTargetDelay : ITargetDelayPolicy
{
    private const double SafetyMilliseconds = 2;

    private readonly JitterEstimator _estimator;

    public AdaptiveTargetDelay(double minimumMilliseconds, double maximumMilliseconds)
    {
        MinimumMilliseconds = minimumMilliseconds;
        MaximumMilliseconds = maximumMilliseconds;
        TargetMilliseconds = minimumMilliseconds;
        _estimator = new JitterEstimator(maximumMilliseconds);
    }

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

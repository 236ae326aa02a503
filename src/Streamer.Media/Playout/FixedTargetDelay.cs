namespace Streamer.Media.Playout;

/// <summary>The strategy <c>fixed:MS</c>: always the same target, whatever the network does.</summary>
internal sealed class FixedTargetDelay : ITargetDelayPolicy
{
    public FixedTargetDelay(double milliseconds)
    {
        TargetMilliseconds = milliseconds;
    }

    public double TargetMilliseconds { get; }

    public double MinimumMilliseconds => TargetMilliseconds;

    public double MaximumMilliseconds => TargetMilliseconds;

    public double JitterMilliseconds => 0;

    public void Observe(in FrameArrival arrival)
    {
    }
}

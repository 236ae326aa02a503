namespace Streamer.Bench.Proxy;

/// <summary>
/// When each chunk of one direction is released, as a pure function of its arrival time, its size and the
/// conditions: no clock, no sockets, so tests drive it with any times they like. A delay line that never reorders:
/// release = max(previous release, arrival + serialization + delay + jitter), pushed past any stall it falls in.
/// </summary>
internal sealed class ConditionSchedule
{
    // Pareto (Lomax) shape: 3 keeps the variance finite while the tail is far heavier than the normal's.
    private const double ParetoShape = 3;
    private const double ParetoCap = 50;

    private readonly NetworkConditions conditions;
    private readonly Random random;
    private TimeSpan linkFree;
    private TimeSpan lastRelease;

    public ConditionSchedule(NetworkConditions conditions, int seed)
    {
        this.conditions = conditions;
        random = new Random(seed);
    }

    /// <summary>The release time of a chunk of <paramref name="bytes"/> that arrived at <paramref name="arrival"/> (both since the connection opened).</summary>
    /// <remarks>Arrivals must not go backwards; each call draws one jitter sample.</remarks>
    public TimeSpan Release(TimeSpan arrival, int bytes)
    {
        var sent = arrival;
        if (conditions.RateBitsPerSecond > 0)
        {
            // The link sends one chunk at a time: a chunk waits for the previous one to leave, then takes its
            // serialization time. A sender faster than the rate builds a queue here (and, once the proxy's delay
            // line is full, TCP backpressure).
            var start = arrival > linkFree ? arrival : linkFree;
            linkFree = start + TimeSpan.FromTicks((long)Math.Ceiling(bytes * 8.0 * TimeSpan.TicksPerSecond / conditions.RateBitsPerSecond));
            sent = linkFree;
        }

        var release = sent + conditions.Delay + NextJitter();
        if (release < lastRelease)
        {
            release = lastRelease;
        }

        release = AfterStall(release);
        lastRelease = release;
        return release;
    }

    /// <summary>The time itself, or the end of the stall it falls in: stalls run from k·every to k·every + stall, k ≥ 1.</summary>
    public TimeSpan AfterStall(TimeSpan time)
    {
        var every = conditions.StallEvery;
        var stall = conditions.Stall;
        if (every <= TimeSpan.Zero || stall <= TimeSpan.Zero || time < every)
        {
            return time;
        }

        long k = time.Ticks / every.Ticks;
        var start = TimeSpan.FromTicks(k * every.Ticks);
        return time - start < stall ? start + stall : time;
    }

    /// <summary>One extra delay, never negative, with mean <see cref="NetworkConditions.Jitter"/>.</summary>
    public TimeSpan NextJitter()
    {
        double mean = conditions.Jitter.Ticks;
        if (mean <= 0)
        {
            return TimeSpan.Zero;
        }

        double sample = conditions.JitterDistribution switch
        {
            JitterDistribution.Normal => Math.Abs(StandardNormal()) * mean * Math.Sqrt(Math.PI / 2),
            JitterDistribution.Pareto => Math.Min(ParetoCap * mean, (ParetoShape - 1) * mean * (Math.Pow(1 - random.NextDouble(), -1 / ParetoShape) - 1)),
            _ => 2 * mean * random.NextDouble(),
        };
        return TimeSpan.FromTicks((long)sample);
    }

    // Box–Muller; one of the pair is thrown away: a draw per chunk is cheap enough and keeps the stream simple.
    private double StandardNormal()
    {
        double u1 = 1 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

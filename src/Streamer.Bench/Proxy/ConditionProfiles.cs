namespace Streamer.Bench.Proxy;

/// <summary>
/// Named network conditions (<c>proxy --profile</c>, <c>bench matrix --condition</c>). TCP never loses bytes: a lost
/// segment holds everything behind it until it is retransmitted, so loss is modelled as a stall (the recovery time)
/// followed by a burst (the backlog), at the interval one loss takes at the profile's loss rate for a ~50 packet/s
/// audio stream. The numbers and their reasoning are in docs/bench.md; changing one changes published results.
/// </summary>
public static class ConditionProfiles
{
    /// <summary>The profile names, in the order the docs list them; <c>clean</c> means no conditions.</summary>
    public static IReadOnlyList<string> Names { get; } = ["clean", "wifi", "4g", "transatlantic", "congested"];

    /// <summary>The conditions a profile name stands for (case-insensitive); false for an unknown name.</summary>
    /// <param name="name">A name from <see cref="Names"/>.</param>
    /// <param name="conditions">The profile's conditions, seed 1.</param>
    public static bool TryGet(string name, out NetworkConditions conditions)
    {
        conditions = name.Trim().ToLowerInvariant() switch
        {
            "clean" => NetworkConditions.None,

            // Home Wi-Fi: short path, bursty air-time contention and link-layer retries (heavy tail), a loss now and
            // then that fast retransmit or a tail-loss probe recovers within a few round trips (~60 ms).
            "wifi" => Profile(delayMs: 3, jitterMs: 6, JitterDistribution.Pareto, rateBits: 30_000_000, stallEverySeconds: 5, stallMs: 60),

            // 4G/LTE: ~60 ms round trip through the core, scheduler jitter, ~0.25% loss (one in 8 s at 50 packets/s)
            // recovered by a retransmission timeout: Linux's 200 ms minimum RTO plus a round trip ≈ 250 ms.
            "4g" => Profile(delayMs: 30, jitterMs: 12, JitterDistribution.Normal, rateBits: 10_000_000, stallEverySeconds: 8, stallMs: 250),

            // Europe–US east coast: ~80 ms round trip of fibre, little jitter, rare loss (one in 20 s) recovered by
            // an RTO: 200 ms + a round trip ≈ 280 ms.
            "transatlantic" => Profile(delayMs: 40, jitterMs: 2, JitterDistribution.Normal, rateBits: 100_000_000, stallEverySeconds: 20, stallMs: 280),

            // A shared uplink at its limit: 1 Mbit/s (less than CD-quality PCM needs), deep queues (heavy-tailed
            // queueing delay), ~1% loss (one in 2 s) with RTOs inflated by the queue: 400 ms.
            "congested" => Profile(delayMs: 50, jitterMs: 30, JitterDistribution.Pareto, rateBits: 1_000_000, stallEverySeconds: 2, stallMs: 400),
            _ => null!,
        };
        return conditions is not null;
    }

    private static NetworkConditions Profile(double delayMs, double jitterMs, JitterDistribution distribution, long rateBits, double stallEverySeconds, double stallMs) => new()
    {
        Delay = TimeSpan.FromMilliseconds(delayMs),
        Jitter = TimeSpan.FromMilliseconds(jitterMs),
        JitterDistribution = distribution,
        RateBitsPerSecond = rateBits,
        StallEvery = TimeSpan.FromSeconds(stallEverySeconds),
        Stall = TimeSpan.FromMilliseconds(stallMs),
    };
}

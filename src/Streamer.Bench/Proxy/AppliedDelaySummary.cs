namespace Streamer.Bench.Proxy;

/// <summary>
/// The delay a <see cref="TcpProxy"/> actually applied to one direction's chunks: from a chunk's arrival (read from
/// one side) to its send to the other (handed to the kernel), so its schedule (delay, jitter, rate, stalls) plus how late the
/// proxy's writer woke. Count, mean, min and max are exact; the percentiles come from an HdrHistogram (2 significant
/// digits: within 1 %).
/// </summary>
/// <param name="Chunks">Chunks forwarded.</param>
/// <param name="MeanMilliseconds">Their mean delay.</param>
/// <param name="MinMilliseconds">The smallest: never below the configured delay.</param>
/// <param name="P50Milliseconds">The median.</param>
/// <param name="P99Milliseconds">The 99th percentile.</param>
/// <param name="MaxMilliseconds">The largest.</param>
/// <param name="MeanAbsoluteDifferenceMilliseconds">The mean of |delay − the previous chunk's delay|: what RFC 3550's
/// interarrival jitter of this path converges to (docs/bench.md, "How accurate").</param>
public sealed record AppliedDelaySummary(long Chunks, double MeanMilliseconds, double MinMilliseconds, double P50Milliseconds, double P99Milliseconds, double MaxMilliseconds, double MeanAbsoluteDifferenceMilliseconds);

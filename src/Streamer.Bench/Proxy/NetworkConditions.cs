using System.Globalization;
using System.Text;

namespace Streamer.Bench.Proxy;

/// <summary>How a jitter sample (the delay added on top of <see cref="NetworkConditions.Delay"/>) is drawn.</summary>
public enum JitterDistribution
{
    /// <summary>Uniform from 0 to twice the jitter: mean = the jitter, never more than twice it.</summary>
    Uniform,

    /// <summary>Half-normal (the absolute value of a normal) with mean = the jitter: mostly small, rarely past three times it.</summary>
    Normal,

    /// <summary>Pareto (Lomax, shape 3) with mean = the jitter: mostly small with a heavy tail (capped at 50 times the jitter), like Wi-Fi retries.</summary>
    Pareto,
}

/// <summary>
/// The conditions a <see cref="TcpProxy"/> applies to each direction of each connection. Every figure is per direction:
/// a delay of 40 ms adds 80 ms to a round trip. Zero (or null) turns a condition off.
/// </summary>
public sealed record NetworkConditions
{
    /// <summary>No conditions: bytes pass as fast as they come.</summary>
    public static NetworkConditions None { get; } = new();

    /// <summary>Fixed one-way delay added to every chunk: the propagation delay, the floor of the link's latency.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Mean of the extra delay drawn per chunk (never negative). Chunks are delayed, never reordered.</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>How the extra delay is drawn. Default uniform.</summary>
    public JitterDistribution JitterDistribution { get; init; }

    /// <summary>Seed of the jitter draws; one connection's directions get their own streams derived from it, so runs repeat.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Link rate in bit/s (serialization delay, and a queue when the sender is faster); 0: unlimited.</summary>
    public long RateBitsPerSecond { get; init; }

    /// <summary>Every this long after a connection opens, the link delivers nothing for <see cref="Stall"/>, then the backlog in one burst; zero: never.</summary>
    public TimeSpan StallEvery { get; init; }

    /// <summary>How long each stall lasts (a lost TCP segment's recovery time: see docs/bench.md).</summary>
    public TimeSpan Stall { get; init; }

    /// <summary>This long after a connection opens, both of its sides are reset (TCP RST); null: never.</summary>
    public TimeSpan? CutAt { get; init; }

    /// <summary>Every Nth byte of each direction is flipped (XOR 0xFF): bytes N, 2N, …; 0: none.</summary>
    public long CorruptEvery { get; init; }

    /// <summary>True when no condition is on: the proxy only copies bytes.</summary>
    public bool IsClean => Delay == TimeSpan.Zero && Jitter == TimeSpan.Zero && RateBitsPerSecond == 0
        && (StallEvery == TimeSpan.Zero || Stall == TimeSpan.Zero) && CutAt is null && CorruptEvery == 0;

    /// <summary>One line for people: "delay 30 ms, jitter 12 ms normal, rate 10 Mbit/s, stall 250 ms every 8 s".</summary>
    public string Describe()
    {
        if (IsClean)
        {
            return "no conditions";
        }

        var text = new StringBuilder();
        void Add(string part)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(part);
        }

        if (Delay > TimeSpan.Zero)
        {
            Add(Invariant($"delay {Delay.TotalMilliseconds:0.###} ms"));
        }

        if (Jitter > TimeSpan.Zero)
        {
            Add(Invariant($"jitter {Jitter.TotalMilliseconds:0.###} ms {JitterDistribution.ToString().ToLowerInvariant()} (seed {Seed})"));
        }

        if (RateBitsPerSecond > 0)
        {
            Add(RateBitsPerSecond >= 1_000_000
                ? Invariant($"rate {RateBitsPerSecond / 1e6:0.###} Mbit/s")
                : Invariant($"rate {RateBitsPerSecond / 1e3:0.###} kbit/s"));
        }

        if (StallEvery > TimeSpan.Zero && Stall > TimeSpan.Zero)
        {
            Add(Invariant($"stall {Stall.TotalMilliseconds:0.###} ms every {StallEvery.TotalSeconds:0.###} s"));
        }

        if (CutAt is { } cut)
        {
            Add(Invariant($"reset at {cut.TotalSeconds:0.###} s"));
        }

        if (CorruptEvery > 0)
        {
            Add(Invariant($"corrupt every {CorruptEvery} bytes"));
        }

        return text.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

namespace Streamer.Media.Playout;

/// <summary>How much audio the receiver holds back before and during playout.</summary>
public sealed class JitterBufferOptions
{
    /// <summary>
    /// The jitter strategy by name (see <see cref="TargetDelayPolicies"/>): <c>adaptive</c> (default) lets the target
    /// follow the arrival jitter between <see cref="MinMilliseconds"/> and <see cref="MaxMilliseconds"/>;
    /// <c>fixed:MS</c> holds MS ms (the average audio held; playback starts, and restarts after an underrun, once
    /// this much is buffered). Lower means less latency and more risk of underruns on a jittery network; keep a
    /// fixed target above the packet duration plus the device block.
    /// </summary>
    public string Strategy { get; set; } = "adaptive";

    /// <summary>Adaptive mode's lowest target, in ms. Default 20: below about a packet plus a device block the
    /// buffer runs dry on every scheduling hiccup.</summary>
    public double MinMilliseconds { get; set; } = 20;

    /// <summary>Adaptive mode's highest target, in ms. Default 500: it bounds the latency a bad network can cause;
    /// jitter beyond it shows as underruns and late drops.</summary>
    public double MaxMilliseconds { get; set; } = 500;

    /// <summary>
    /// Keep the buffer at its target by dropping or repeating single sample frames spread over time (at most
    /// 0.5 % speed near the target, 2 % when far off), which absorbs the sender's and the sound card's clock drift. Default on. Off only makes sense
    /// when both ends share one clock; the buffer then slowly fills up or runs dry.
    /// </summary>
    public bool DriftCompensation { get; set; } = true;

    /// <summary>
    /// Play each sample at its presentation time when the server sends them (synchronized playout across
    /// listeners, docs/playback.md). Default on; off plays by the target delay as for a server that sends none.
    /// </summary>
    public bool Synchronize { get; set; } = true;

    /// <summary>
    /// Most audio held, in ms; a faster sender waits (TCP backpressure). Default 2000 (at least twice the largest
    /// target). It bounds memory per stream.
    /// </summary>
    public double CapacityMilliseconds { get; set; } = 2000;

    /// <summary>The smallest target these options can ask for, in ms.</summary>
    public double SmallestTargetMilliseconds => CreatePolicy().MinimumMilliseconds;

    /// <summary>The largest target these options can ask for, in ms.</summary>
    public double LargestTargetMilliseconds => CreatePolicy().MaximumMilliseconds;

    /// <summary>A new policy for one stream. Throws <see cref="ArgumentException"/> for a bad <see cref="Strategy"/>.</summary>
    public ITargetDelayPolicy CreatePolicy() => TargetDelayPolicies.Create(Strategy, new TargetDelayBounds(MinMilliseconds, MaxMilliseconds));
}

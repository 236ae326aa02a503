namespace Streamer.Streaming.Send;

/// <summary>How a <see cref="Broadcast"/> treats its listeners and its input.</summary>
public sealed class BroadcastOptions
{
    /// <summary>
    /// Recent audio a listener gets at once when it joins (Icecast's burst-on-connect), so its jitter buffer fills
    /// at once instead of over the first real-time period. Default 200 ms: enough for the receiver's adaptive buffer,
    /// which starts at its 20 ms minimum and rarely settles above 100–200 ms on a LAN, to start playing at once; more
    /// only adds latency for the new listener (it stays that far behind the live edge) and bytes to every join.
    /// 0 starts a listener at the live edge with nothing buffered.
    /// </summary>
    public TimeSpan Burst { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How far behind the live edge a listener may fall (its socket cannot keep up) before it skips to the newest
    /// frame; the receiver conceals the gap. Default 500 ms, as on-demand sessions. Bytes already queued in its
    /// connection (at most the connection's output buffer and the kernel's send buffer) come on top.
    /// </summary>
    public TimeSpan MaxLag { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// An input that delivers no frame for this long is stalled: listeners keep their connection and get a
    /// <c>status {state: "stalled"}</c> frame, and <c>live</c> when audio comes again. Default 1 s: many frames
    /// (a live input's frames come every 2.5–60 ms), far below the receiver's 10 s stall timeout.
    /// </summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// While stalled the status is repeated this often, so a receiver's own stall timeout (10 s by default) sees the
    /// server is still there. Default 2 s.
    /// </summary>
    public TimeSpan StatusRepeat { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pace the input by the engine's clock (a file in broadcast mode); false when the input keeps its own time (a live input).</summary>
    public bool PaceByEngine { get; set; } = true;
}

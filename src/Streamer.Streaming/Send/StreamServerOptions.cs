using Streamer.Protocol;
using Streamer.Protocol.Hosting;
using Streamer.Transport.Sockets;

namespace Streamer.Streaming.Send;

/// <summary>How the server paces and bounds its sessions.</summary>
public sealed class StreamServerOptions
{
    /// <summary>The default TCP port, 9611 (the seed lesson's audio port).</summary>
    public const int DefaultPort = 9611;

    /// <summary>Real time (the default: frames leave on the audio clock) or as fast as the client takes them.</summary>
    public PacingMode Pacing { get; set; } = PacingMode.Realtime;

    /// <summary>Each client from the start (default), or one shared broadcast (see <see cref="Broadcast"/>).</summary>
    public StreamMode Mode { get; set; } = StreamMode.OnDemand;

    /// <summary>The shared stream's burst, skip and stall settings (<see cref="StreamMode.Broadcast"/> only).</summary>
    public BroadcastOptions Broadcast { get; set; } = new();

    /// <summary>
    /// Realtime only: each audio frame carries a presentation time, its capture time plus this latency, and listeners
    /// play it at that moment (synchronized playout across rooms; older clients ignore it). Null (the default): the
    /// mode's own, <see cref="DefaultLatency"/> for a broadcast, none on demand (each client has its own stream there,
    /// so there is nobody to be in step with, and a player should hear its file from the first sample rather than drop
    /// what its device's start-up makes late). <see cref="TimeSpan.Zero"/>: no presentation times.
    /// </summary>
    public TimeSpan? Latency { get; set; }

    /// <summary>The latency in force for <paramref name="mode"/>: null when frames carry no presentation times.</summary>
    internal TimeSpan? LatencyFor(StreamMode mode)
    {
        var latency = Latency ?? (mode == StreamMode.Broadcast ? DefaultLatency : null);
        return Pacing == PacingMode.Realtime && latency > TimeSpan.Zero ? latency : null;
    }

    /// <summary>The default broadcast latency, 100 ms (why: docs/playback.md, "Synchronized playout").</summary>
    public static readonly TimeSpan DefaultLatency = TimeSpan.FromMilliseconds(100);

    /// <summary>Start again from the beginning at the end of the file, forever.</summary>
    public bool Loop { get; set; }

    /// <summary>
    /// Realtime only: how far a session may fall behind the audio clock (a client that cannot keep up) before
    /// frames are dropped to catch up. Default 500 ms. Larger means more memory in flight and later audio.
    /// </summary>
    public TimeSpan MaxLag { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A client whose connection accepts no data for this long is dropped. Default 10 s. Shorter frees stuck
    /// sessions sooner but may cut off a client on a network that stalls briefly.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A probe session (role "probe") that sends no frame for this long is closed. Default 15 s. A probe pings
    /// at once and then at most every few seconds; without a deadline a silent probe would hold its slot for good.
    /// </summary>
    public TimeSpan ProbeIdleTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How slowly a client may send a frame it has started (see <see cref="MinDataRate"/>). Default 240 B/s after
    /// a 5 s grace; null turns the check off. It drops a peer that trickles bytes to hold its connection open.
    /// </summary>
    public MinDataRate? MinFrameDataRate { get; set; } = MinDataRate.Default;

    /// <summary>
    /// Accept, hello and session limits (docs/architecture.md, "Limits"). By default the kernel send buffer is held to
    /// 64 KiB so a stalled client's backlog stays short in realtime mode; <see cref="PacingMode.Asap"/> transfers
    /// should set <see cref="Connection"/>'s back to null.
    /// </summary>
    public ConnectionHostOptions Limits { get; set; } = new() { MaxSessions = DefaultMaxClients, Connection = new() { SendBufferBytes = 64 * 1024 } };

    /// <summary>The default <see cref="MaxClients"/>: 1000 listeners of one broadcast, measured (docs/performance.md).</summary>
    public const int DefaultMaxClients = 1000;

    /// <summary>Time a client has to send its whole hello (<see cref="ConnectionHostOptions.HandshakeTimeout"/>, default 3 s).</summary>
    public TimeSpan HandshakeTimeout
    {
        get => Limits.HandshakeTimeout;
        set => Limits.HandshakeTimeout = value;
    }

    /// <summary>
    /// Most clients past their hello (<see cref="ConnectionHostOptions.MaxSessions"/>); more are told the server is full.
    /// Default <see cref="DefaultMaxClients"/>, what one broadcast holds here (docs/streaming.md, "Memory per listener").
    /// </summary>
    public int MaxClients
    {
        get => Limits.MaxSessions;
        set => Limits.MaxSessions = value;
    }

    /// <summary>Per-connection bounds (<see cref="ConnectionHostOptions.Connection"/>).</summary>
    public SocketConnectionOptions Connection
    {
        get => Limits.Connection;
        set => Limits.Connection = value;
    }
}

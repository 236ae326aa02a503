using Streamer.Transport;

namespace Streamer.Streaming.Send;

/// <summary>How the server paces and bounds its sessions.</summary>
internal sealed class StreamServerOptions
{
    /// <summary>The default TCP port, 9611 (the seed lesson's audio port).</summary>
    public const int DefaultPort = 9611;

    public PacingMode Pacing { get; set; } = PacingMode.Realtime;

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

    /// <summary>Time a client has to send its hello. Default 10 s; it bounds idle connections.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most concurrent clients; more are told the server is full. Default 64. Bounds total memory.</summary>
    public int MaxClients { get; set; } = 64;

    /// <summary>
    /// Per-connection bounds. By default the kernel send buffer is held to 64 KiB so a stalled client's backlog
    /// stays short in realtime mode; <see cref="PacingMode.Asap"/> transfers should set it back to null.
    /// </summary>
    public SocketConnectionOptions Connection { get; set; } = new() { SendBufferBytes = 64 * 1024 };
}

using Streamer.Core.Transport;

namespace Streamer.Audio.Streaming;

/// <summary>How the server paces and bounds its sessions.</summary>
public sealed class StreamServerOptions
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

    /// <summary>Time a client has to send its hello. Default 10 s; it bounds idle connections.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most concurrent clients; more are told the server is full. Default 64. Bounds total memory.</summary>
    public int MaxClients { get; set; } = 64;

    public SocketConnectionOptions Connection { get; set; } = new();
}

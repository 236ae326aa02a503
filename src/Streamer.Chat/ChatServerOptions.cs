using Streamer.Transport;

namespace Streamer.Chat;

/// <summary>Bounds of the chat room. Every queue and rate is bounded so one client cannot hurt the others.</summary>
internal sealed class ChatServerOptions
{
    /// <summary>The default TCP port, 5000 (the seed lesson's chat port).</summary>
    public const int DefaultPort = 5000;

    /// <summary>Largest message text in UTF-8 bytes. Default 2048. Longer ones are refused with a notice, not relayed.</summary>
    public const int MaxMessageBytes = 2048;

    /// <summary>Longest participant name in characters, after cleaning. Default 32.</summary>
    public const int MaxNameLength = 32;

    /// <summary>Most connections at once (participants, probes, handshakes). Default 64. Bounds memory and sockets.</summary>
    public int MaxClients { get; set; } = 64;

    /// <summary>Time a client has to send its hello. Default 10 s; bounds connections that never speak.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Messages waiting to be sent to one participant. Default 256. A participant whose queue is full is too slow
    /// to read the room and is dropped, so the room never waits for it and its memory stays bounded.
    /// </summary>
    public int OutboxCapacity { get; set; } = 256;

    /// <summary>Frames per second a participant may send on average. Default 20. Faster is flooding: dropped.</summary>
    public double FramesPerSecond { get; set; } = 20;

    /// <summary>Frames a participant may send in a burst above the average (a paste of many lines). Default 60.</summary>
    public int FrameBurst { get; set; } = 60;

    /// <summary>
    /// Transport bounds. The frame limit defaults to 16 KiB here: a chat frame is at most a few KiB, so anything
    /// larger is garbage and the sender is dropped before it is buffered.
    /// </summary>
    public SocketConnectionOptions Connection { get; set; } = new() { MaxFrameLength = 16 * 1024, MaxOutputBufferBytes = 64 * 1024 };
}

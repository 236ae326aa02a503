using Streamer.Protocol.Hosting;
using Streamer.Transport.Sockets;

namespace Streamer.Chat;

/// <summary>Bounds of the chat room. Every queue and rate is bounded so one client cannot hurt the others.</summary>
public sealed class ChatServerOptions
{
    /// <summary>The default TCP port, 5000 (the seed lesson's chat port).</summary>
    public const int DefaultPort = 5000;

    /// <summary>Largest message text in UTF-8 bytes. Default 2048. Longer ones are refused with a notice, not relayed.</summary>
    public const int MaxMessageBytes = 2048;

    /// <summary>Longest participant name in characters, after cleaning. Default 32.</summary>
    public const int MaxNameLength = 32;

    /// <summary>
    /// Accept, hello and session limits, shared with the audio server (docs/architecture.md, "Limits"). The frame
    /// limit defaults to 16 KiB here: a chat frame is at most a few KiB, so anything larger is garbage and the sender
    /// is dropped before it is buffered.
    /// </summary>
    public ConnectionHostOptions Limits { get; set; } = new() { Connection = new() { MaxFrameLength = 16 * 1024, MaxOutputBufferBytes = 64 * 1024 } };

    /// <summary>
    /// Most clients past their hello (participants and probes; <see cref="ConnectionHostOptions.MaxSessions"/>),
    /// default 64, which is also the most members the room holds. Bounds memory and sockets. Connections still in
    /// their hello wait in a separate pool and never count here.
    /// </summary>
    public int MaxClients
    {
        get => Limits.MaxSessions;
        set => Limits.MaxSessions = value;
    }

    /// <summary>Time a client has to send its whole hello (<see cref="ConnectionHostOptions.HandshakeTimeout"/>, default 3 s).</summary>
    public TimeSpan HandshakeTimeout
    {
        get => Limits.HandshakeTimeout;
        set => Limits.HandshakeTimeout = value;
    }

    /// <summary>A probe that sends nothing for this long gives its connection back. Default 10 s (probes ping every second by default).</summary>
    public TimeSpan ProbeIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Messages waiting to be sent to one participant. Default 256. A participant whose queue is full is too slow
    /// to read the room and is dropped, so the room never waits for it and its memory stays bounded.
    /// </summary>
    public int OutboxCapacity { get; set; } = 256;

    /// <summary>Frames per second a participant may send on average. Default 20. Faster is flooding: dropped.</summary>
    public double FramesPerSecond { get; set; } = 20;

    /// <summary>Frames a participant may send in a burst above the average (a paste of many lines). Default 60.</summary>
    public int FrameBurst { get; set; } = 60;

    /// <summary>Transport bounds (<see cref="ConnectionHostOptions.Connection"/>).</summary>
    public SocketConnectionOptions Connection
    {
        get => Limits.Connection;
        set => Limits.Connection = value;
    }
}

using Streamer.Media.Playout;
using Streamer.Protocol;

namespace Streamer.Streaming.Receive;

/// <summary>What a client knows about the stream it is receiving; live while it plays.</summary>
public sealed class ReceivedStream
{
    /// <summary>The stream's counters (packets, loss, underruns, latency), live while it plays.</summary>
    public PlaybackStats Stats { get; } = new();

    /// <summary>The server's stream info, once it came.</summary>
    public StreamInfoMessage? Info { get; internal set; }

    /// <summary>The server's hello, once it came.</summary>
    public HelloMessage? ServerHello { get; internal set; }

    /// <summary>The jitter buffer, when the chain has a clocked output.</summary>
    public JitterBuffer? Buffer { get; internal set; }

    /// <summary>What the sink chain ends in, for messages ("out.wav", "default device"); set when it is built.</summary>
    public string? OutputDescription { get; internal set; }

    /// <summary>True once the server's end-of-stream frame arrived.</summary>
    public bool Ended { get; internal set; }
}

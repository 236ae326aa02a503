using Streamer.Media.Playout;
using Streamer.Protocol;

namespace Streamer.Streaming.Receive;

/// <summary>What a client knows about the stream it is receiving; live while it plays.</summary>
internal sealed class ReceivedStream
{
    public PlaybackStats Stats { get; } = new();

    public StreamInfoMessage? Info { get; internal set; }

    public HelloMessage? ServerHello { get; internal set; }

    public JitterBuffer? Buffer { get; internal set; }

    /// <summary>What the sink chain ends in, for messages ("out.wav", "default device"); set when it is built.</summary>
    public string? OutputDescription { get; internal set; }

    /// <summary>True once the server's end-of-stream frame arrived.</summary>
    public bool Ended { get; internal set; }
}

using Streamer.Protocol;
using Streamer.Protocol.Threading;
using Streamer.Streaming.Send;

namespace Streamer.Streaming.Http;

/// <summary>
/// A ring of encoded frames that readers follow with their own cursors and are woken for: the broadcast itself (its
/// frames are Opus already) or the one transcoder that turns a PCM or G.711 broadcast into Opus.
/// </summary>
internal interface IFrameFeed
{
    /// <summary>Completes once <see cref="Ring"/> and <see cref="Info"/> exist (or the feed failed to start).</summary>
    Task Started { get; }

    FrameRing Ring { get; }

    StreamInfoMessage Info { get; }

    /// <summary>Frames a joining reader gets before the live edge.</summary>
    int BurstFrames { get; }

    /// <summary>Frames a reader may fall behind before it skips to the newest.</summary>
    int MaxLagFrames { get; }

    /// <summary>No frame after the ring's last will come.</summary>
    bool Ended { get; }

    /// <summary>Why the feed failed, or null.</summary>
    string? Failure { get; }

    void Add(AsyncSignal listener);

    void Remove(AsyncSignal listener);
}

namespace Streamer.Protocol;

/// <summary>What a frame carries. Values are wire constants: never renumber.</summary>
public enum FrameKind : byte
{
    /// <see cref="HelloMessage"/>: the first frame each side sends.
    Hello = 1,
    /// <see cref="StreamInfoMessage"/>: the stream's format and codec, sent before the audio.
    StreamInfo = 2,
    /// <summary>One encoded audio packet; the header's sequence and timestamp place it in the stream.</summary>
    Audio = 3,
    /// <see cref="EndOfStreamMessage"/>: the sender is done and says how much it sent.
    EndOfStream = 4,
    /// <see cref="ErrorMessage"/>: a fatal problem, sent before closing.
    Error = 5,
    /// <summary>A clock-sync ping from the player (empty payload); answered with <see cref="Pong"/>.</summary>
    Ping = 6,
    /// <see cref="ClockSync.PongMessage"/>: the answer to a ping, with the server's receive time.
    Pong = 7,
    /// <see cref="ChatMessage"/>: a chat line or room notice.
    Chat = 8,

    /// <summary>The state of a broadcast's input (live, stalled); see <see cref="StatusMessage"/>.</summary>
    Status = 9,

    /// <summary>A player's playback figures, about once a second (see <see cref="ClientStatsMessage"/>); older servers skip it.</summary>
    ClientStats = 10,
}

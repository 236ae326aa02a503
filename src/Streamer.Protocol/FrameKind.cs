namespace Streamer.Protocol;

/// <summary>What a frame carries. Values are wire constants: never renumber.</summary>
internal enum FrameKind : byte
{
    Hello = 1,
    StreamInfo = 2,
    Audio = 3,
    EndOfStream = 4,
    Error = 5,
    Ping = 6,
    Pong = 7,
    Chat = 8,

    /// <summary>The state of a broadcast's input (live, stalled); see <see cref="StatusMessage"/>.</summary>
    Status = 9,
}

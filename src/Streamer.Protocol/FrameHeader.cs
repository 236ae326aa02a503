namespace Streamer.Protocol;

/// <summary>
/// The MessagePack header of every frame: <c>[kind, sequence, timestamp, sendTimeUs]</c>.
/// </summary>
/// <param name="Kind">The frame kind; unknown kinds are skipped by receivers.</param>
/// <param name="Sequence">Audio frames count 0, 1, 2, … per stream; a gap means the sender dropped frames.</param>
/// <param name="Timestamp">Media time of the first sample in the payload, in samples per channel.</param>
/// <param name="SendTimeUs">Sender's wall clock at send, microseconds since the Unix epoch.</param>
public readonly record struct FrameHeader(FrameKind Kind, uint Sequence, ulong Timestamp, long SendTimeUs)
{
    /// <summary>Number of array elements this version writes; readers accept more and skip the extras.</summary>
    public const int FieldCount = 4;

    /// <summary>The largest header this version can write, in bytes.</summary>
    public const int MaxEncodedLength = 1 + 2 + 5 + 9 + 9;

    /// <summary>A control frame's header: sequence and timestamp 0, sent now.</summary>
    public static FrameHeader Control(FrameKind kind) => new(kind, 0, 0, WallClock.NowMicroseconds());
}

namespace Streamer.Protocol;

/// <summary>
/// The MessagePack header of every frame: <c>[kind, sequence, timestamp, sendTimeUs]</c>, and on audio frames of a
/// server that schedules playout a fifth element, <c>presentationTimeUs</c>. Readers accept extra elements and skip
/// them, so a peer that knows only four reads these frames unchanged (it plays by its own jitter buffer).
/// </summary>
/// <param name="Kind">The frame kind; unknown kinds are skipped by receivers.</param>
/// <param name="Sequence">Audio frames count 0, 1, 2, … per stream; a gap means the sender dropped frames.</param>
/// <param name="Timestamp">Media time of the first sample in the payload, in samples per channel.</param>
/// <param name="SendTimeUs">Sender's wall clock at send, microseconds since the Unix epoch.</param>
/// <param name="PresentationTimeUs">Audio frames: when the first sample should reach the listener's ears, on the
/// sender's wall clock (µs since the Unix epoch); <see cref="NoPresentationTime"/> (0) when the sender gives none.</param>
public readonly record struct FrameHeader(FrameKind Kind, uint Sequence, ulong Timestamp, long SendTimeUs, long PresentationTimeUs = FrameHeader.NoPresentationTime)
{
    /// <summary>Number of array elements every header has; readers accept more and skip what they do not know.</summary>
    public const int FieldCount = 4;

    /// <summary>Elements of a header that carries a presentation time.</summary>
    public const int FieldCountWithPresentation = 5;

    /// <summary>The presentation time of a frame that has none (every control frame, audio from an older server).</summary>
    public const long NoPresentationTime = 0;

    /// <summary>The largest header this version can write, in bytes.</summary>
    public const int MaxEncodedLength = 1 + 2 + 5 + 9 + 9 + 9;

    /// <summary>Whether this header carries a presentation time (and is written with five elements).</summary>
    public bool HasPresentationTime => PresentationTimeUs != NoPresentationTime;

    /// <summary>A control frame's header: sequence and timestamp 0, sent now.</summary>
    public static FrameHeader Control(FrameKind kind) => new(kind, 0, 0, WallClock.NowMicroseconds());
}

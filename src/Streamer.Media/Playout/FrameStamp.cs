namespace Streamer.Media.Playout;

/// <summary>What the receiver knows about one frame of decoded PCM as it enters the output stage.</summary>
/// <param name="Sequence">The sender's frame number.</param>
/// <param name="Timestamp">The sender's media time of the frame, in samples per channel.</param>
/// <param name="SendTimeUs">The sender's wall clock when it sent the frame, in µs.</param>
/// <param name="PresentationTimeUs">When the frame's first sample should reach the output, on the sender's clock, in
/// µs; <see cref="None"/> (0) when the sender gives no presentation times (an older server).</param>
public readonly record struct FrameStamp(uint Sequence, ulong Timestamp, long SendTimeUs, long PresentationTimeUs)
{
    /// <summary>No presentation time.</summary>
    public const long None = 0;

    /// <summary>Whether the sender gave this frame a presentation time.</summary>
    public bool HasPresentationTime => PresentationTimeUs != None;
}

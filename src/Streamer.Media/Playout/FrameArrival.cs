namespace Streamer.Media.Playout;

/// <summary>One frame entering the jitter buffer, as a <see cref="ITargetDelayPolicy"/> sees it.</summary>
/// <remarks>
/// Arrival minus media time is the frame's transit time up to a constant; its spread is the network jitter.
/// The packet and block sizes are the granularity the depth moves in even on a perfect network.
/// </remarks>
public readonly struct FrameArrival
{
    /// <summary>Describes one arrival.</summary>
    /// <param name="arrivalMicroseconds">When the frame arrived, on the receiver's clock, in µs.</param>
    /// <param name="mediaMicroseconds">The frame's position in the stream: µs of audio before its first sample.</param>
    /// <param name="frameMilliseconds">The frame's duration, in ms.</param>
    /// <param name="blockMilliseconds">The output's block (what one audio callback reads), in ms; 0 before the first read.</param>
    public FrameArrival(long arrivalMicroseconds, long mediaMicroseconds, double frameMilliseconds, double blockMilliseconds)
    {
        ArrivalMicroseconds = arrivalMicroseconds;
        MediaMicroseconds = mediaMicroseconds;
        FrameMilliseconds = frameMilliseconds;
        BlockMilliseconds = blockMilliseconds;
    }

    /// <summary>When the frame arrived, on the receiver's clock, in µs.</summary>
    public long ArrivalMicroseconds { get; }

    /// <summary>The frame's position in the stream: µs of audio before its first sample.</summary>
    public long MediaMicroseconds { get; }

    /// <summary>The frame's duration, in ms.</summary>
    public double FrameMilliseconds { get; }

    /// <summary>The output's block (what one audio callback reads), in ms; 0 before the first read.</summary>
    public double BlockMilliseconds { get; }
}

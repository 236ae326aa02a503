namespace Streamer.Protocol;

/// <summary>What <see cref="FrameReader.ReadAsync"/> found.</summary>
public enum FrameReadOutcome
{
    /// <summary><see cref="FrameReader.Current"/> holds a frame.</summary>
    Frame,

    /// <summary>The peer closed the connection cleanly between frames.</summary>
    End,

    /// <summary>The peer closed the connection in the middle of a frame.</summary>
    Truncated,

    /// <summary>The peer announced a frame longer than the maximum.</summary>
    TooLarge,

    /// <summary>The peer sent a header that is not a valid frame header.</summary>
    Malformed,
}

namespace Streamer.Streaming.Send;

/// <summary>How the server times the frames it sends.</summary>
public enum PacingMode
{
    /// <summary>Frames leave on the audio clock, as from a live source.</summary>
    Realtime,

    /// <summary>Frames leave as fast as the receiver takes them.</summary>
    Asap,
}

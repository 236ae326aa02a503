namespace Streamer.Streaming.Send;

internal enum PacingMode
{
    /// <summary>Frames leave on the audio clock, as from a live source.</summary>
    Realtime,

    /// <summary>Frames leave as fast as the receiver takes them.</summary>
    Asap,
}

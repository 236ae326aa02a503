namespace Streamer.Media.Sources.Live;

/// <summary>What a FIFO input sends while no writer has it open (a music player that stopped).</summary>
public enum FifoGap
{
    /// <summary>Silence, on the real-time clock: listeners keep playing (and in sync), and the music resumes at once.</summary>
    Silence,

    /// <summary>Nothing: the input stalls until a writer returns (listeners are told the input stalled).</summary>
    Nothing,
}

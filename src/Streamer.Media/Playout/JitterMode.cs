namespace Streamer.Media.Playout;

/// <summary>How the jitter buffer picks its target delay.</summary>
internal enum JitterMode
{
    /// <summary>The target follows the measured arrival jitter, within a minimum and a maximum.</summary>
    Adaptive,

    /// <summary>The target is a fixed delay.</summary>
    Fixed,
}

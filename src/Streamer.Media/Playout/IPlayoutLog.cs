namespace Streamer.Media.Playout;

/// <summary>
/// Told, on the output's thread, when each frame's first sample reached the output (<c>play --playout-log</c>):
/// implementations must not block or allocate.
/// </summary>
public interface IPlayoutLog
{
    /// <summary>Frame <paramref name="sequence"/> (media time <paramref name="timestamp"/>) began playing at
    /// <paramref name="presentedServerUs"/>, on the sender's clock as our offset estimate maps it.</summary>
    void Played(uint sequence, ulong timestamp, long presentedServerUs);
}

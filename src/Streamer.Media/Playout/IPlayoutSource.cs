namespace Streamer.Media.Playout;

/// <summary>A provider whose data arrives over time and then ends: what clocked outputs play from.</summary>
public interface IPlayoutSource : IAudioProvider
{
    /// <summary>True once the stream has ended and every sample has been read.</summary>
    bool IsCompleted { get; }

    /// <summary>
    /// Reads for an output with its own clock (a sound card): when nothing is ready it fills silence and counts
    /// an underrun. Never blocks. Returns bytes filled (always the whole buffer unless completed).
    /// </summary>
    int ReadClocked(Span<byte> buffer);
}

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

    /// <summary>
    /// <see cref="ReadClocked(Span{byte})"/> for an output that knows when the block's first sample will reach the
    /// listener: <paramref name="presentationLocalUs"/>, on our wall clock in µs (its clock plus its output latency).
    /// Synchronized playout places samples by it; the one-argument read assumes "now".
    /// </summary>
    int ReadClocked(Span<byte> buffer, long presentationLocalUs);
}

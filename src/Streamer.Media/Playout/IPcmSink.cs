using System.Buffers;

namespace Streamer.Media.Playout;

/// <summary>Where the receive loop puts decoded audio: the jitter buffer for a clocked output, or the output itself.</summary>
public interface IPcmSink
{
    /// <summary>Takes one frame's PCM whole, or returns false if it does not fit yet (await <see cref="WaitForSpaceAsync"/>).</summary>
    bool TryWrite(in ReadOnlySequence<byte> pcm, long sendTimeUs);

    /// <summary>Takes one frame's PCM with its stamp (sequence, media and presentation time): a sink that schedules
    /// playout uses it, others only need the send time.</summary>
    bool TryWrite(in ReadOnlySequence<byte> pcm, in FrameStamp stamp) => TryWrite(pcm, stamp.SendTimeUs);

    /// <summary>Completes once <paramref name="bytes"/> would fit.</summary>
    ValueTask WaitForSpaceAsync(int bytes, CancellationToken cancellationToken);
}

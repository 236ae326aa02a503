using System.Buffers;
using Streamer.Protocol;

namespace Streamer.Streaming.Send;

/// <summary>
/// Turns an <see cref="Media.Sources.IAudioSource"/> into the audio frames of one stream, one at a time: raw PCM slices
/// of the source's blocks (<see cref="PcmPacketizer"/>) or encoder packets (<see cref="EncodingPacketizer"/>). The
/// session only paces and sends what this hands out.
/// </summary>
internal interface IPacketizer : IAsyncDisposable
{
    /// <summary>What the receiver needs to decode the frames.</summary>
    StreamInfoMessage Info { get; }

    /// <summary>
    /// The media time one frame covers, as the encoder actually makes it (its frame samples at its input rate): the
    /// pacing clock ticks at this period.
    /// </summary>
    TimeSpan FrameDuration { get; }

    /// <summary>Moves to the next frame (releasing the previous); false at the end.</summary>
    ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken);

    /// <summary>The current frame's payload; valid until the next <see cref="MoveNextAsync"/>.</summary>
    ReadOnlySequence<byte> Current { get; }

    /// <summary>Samples per channel the current frame covers (for the next timestamp).</summary>
    int CurrentSamples { get; }

    /// <summary>
    /// When the current frame should be heard, on this server's wall clock in µs (its capture time plus the stream
    /// latency, see <see cref="PresentationStamp"/>); <see cref="FrameHeader.NoPresentationTime"/> until
    /// <see cref="StampWith"/> was called. The sender puts it in the frame header.
    /// </summary>
    long CurrentPresentationTimeUs => FrameHeader.NoPresentationTime;

    /// <summary>Stamps every frame from the next one on with <paramref name="stamp"/> (one per stream, shared by its passes).</summary>
    void StampWith(PresentationStamp stamp)
    {
    }
}

using System.Buffers;
using Streamer.Protocol;

namespace Streamer.Streaming.Send;

/// <summary>The sender's side of a stream: audio frames ready to put on the wire, one at a time.</summary>
internal interface IAudioFrameSource : IAsyncDisposable
{
    /// <summary>What the receiver needs to decode the frames.</summary>
    StreamInfoMessage Info { get; }

    /// <summary>Moves to the next frame (releasing the previous); false at the end.</summary>
    ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken);

    /// <summary>The current frame's payload; valid until the next <see cref="MoveNextAsync"/>.</summary>
    ReadOnlySequence<byte> Current { get; }

    /// <summary>Samples per channel the current frame covers (for the next timestamp).</summary>
    int CurrentSamples { get; }
}

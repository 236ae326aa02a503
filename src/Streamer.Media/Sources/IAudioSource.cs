using System.Buffers;

namespace Streamer.Media.Sources;

/// <summary>
/// Audio the sender streams, pulled a block at a time: a file now, a live input or a shared broadcast later (one
/// class each). NAudio's <c>IWaveProvider.Read</c> shape, except that the source lends its own memory instead of
/// filling the caller's: a WAV file's blocks are slices of its read pipe, so raw PCM goes from the page cache to the
/// socket with one copy (docs/architecture.md, "The audio path").
/// </summary>
/// <remarks>
/// One reader at a time; a block is valid until the next <see cref="ReadAsync"/> or <see cref="IAsyncDisposable.DisposeAsync"/>.
/// Internal until <see cref="AudioFormat"/> is public (the codec contract publishes it); the shape is meant to be the public one.
/// </remarks>
public interface IAudioSource : IAsyncDisposable
{
    /// <summary>The layout of every block this source returns.</summary>
    AudioFormat Format { get; }

    /// <summary>
    /// Sample frames (one sample of every channel) the whole source holds, or null when that is not known in advance
    /// (a live input, a WAV piped without a length). The receiver trims its output to this count.
    /// </summary>
    long? TotalFrames { get; }

    /// <summary>
    /// Returns the next <paramref name="frames"/> sample frames, waiting until they are there (a live input blocks
    /// here); fewer only when the source ends, and empty at the end. Releases the previous block.
    /// </summary>
    ValueTask<ReadOnlySequence<byte>> ReadAsync(int frames, CancellationToken cancellationToken);
}

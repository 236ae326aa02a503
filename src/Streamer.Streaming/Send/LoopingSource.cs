using System.Buffers;
using Streamer.Media;
using Streamer.Media.Sources;

namespace Streamer.Streaming.Send;

/// <summary>
/// A file played over and over as one endless source (a looping broadcast): at its end it is opened again underneath,
/// so the broadcast's one packetizer and encoder run on without a seam in sequence or timestamp.
/// </summary>
public sealed class LoopingSource : IAudioSource
{
    private readonly Func<CancellationToken, Task<IAudioSource>> _open;
    private IAudioSource _current;

    private LoopingSource(Func<CancellationToken, Task<IAudioSource>> open, IAudioSource first)
    {
        _open = open;
        _current = first;
        Format = first.Format;
    }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <inheritdoc/>
    public long? TotalFrames => null;

    /// <summary>Opens the first pass with <paramref name="open"/>; each later pass calls it again, as one endless source.</summary>
    public static async Task<IAudioSource> OpenAsync(Func<CancellationToken, Task<IAudioSource>> open, CancellationToken cancellationToken)
        => new LoopingSource(open, await open(cancellationToken));

    /// <inheritdoc/>
    public async ValueTask<ReadOnlySequence<byte>> ReadAsync(int frames, CancellationToken cancellationToken)
    {
        var block = await _current.ReadAsync(frames, cancellationToken);
        if (!block.IsEmpty)
        {
            return block;
        }

        await _current.DisposeAsync();
        _current = await _open(cancellationToken);
        if (_current.Format != Format)
        {
            throw new IOException($"the input changed its format between passes ({Format} → {_current.Format})");
        }

        // An empty file would loop forever without a sample: then it ends.
        return await _current.ReadAsync(frames, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _current.DisposeAsync();
}

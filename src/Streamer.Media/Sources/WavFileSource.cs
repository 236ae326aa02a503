using System.Buffers;
using Streamer.Media.Containers.Wav;

namespace Streamer.Media.Sources;

/// <summary>
/// A WAV file (or any WAV stream) as an <see cref="IAudioSource"/>: blocks of whole sample frames as slices of the
/// file's read pipe, no copy. A file that ends early (truncated data, a partial last frame) ends at its last whole frame.
/// </summary>
public sealed class WavFileSource : IAudioSource
{
    private readonly WavReader _reader;

    /// <summary>A source over an opened <paramref name="reader"/>, which it owns.</summary>
    public WavFileSource(WavReader reader)
    {
        _reader = reader;
        TotalFrames = reader.Header.DataLength < 0 ? null : reader.Header.DataLength / reader.Format.BlockAlign;
    }

    /// <inheritdoc/>
    public AudioFormat Format => _reader.Format;

    /// <inheritdoc/>
    public long? TotalFrames { get; }

    /// <summary>Opens and validates a WAV file; bad files throw <see cref="InvalidWavException"/> with a one-line reason.</summary>
    public static async Task<IAudioSource> OpenAsync(string path, CancellationToken cancellationToken = default)
        => new WavFileSource(await WavFile.OpenAsync(path, cancellationToken));

    /// <summary>Opens a WAV from any stream (the source owns and closes it), e.g. one held in memory.</summary>
    public static async Task<IAudioSource> OpenAsync(Stream stream, string name, CancellationToken cancellationToken = default)
        => new WavFileSource(await WavFile.OpenAsync(stream, name, cancellationToken));

    /// <inheritdoc/>
    public ValueTask<ReadOnlySequence<byte>> ReadAsync(int frames, CancellationToken cancellationToken)
    {
        _reader.Consume();
        return _reader.ReadAsync(frames * _reader.Format.BlockAlign, cancellationToken);
    }

    /// <summary>Completes the file's pipe (closing the file).</summary>
    public ValueTask DisposeAsync() => _reader.DisposeAsync();
}

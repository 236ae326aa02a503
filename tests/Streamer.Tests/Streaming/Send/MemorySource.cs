using System.Buffers;
using Streamer.Media;
using Streamer.Media.Sources;

namespace Streamer.Tests.Streaming.Send;

/// <summary>
/// A source that is not a WAV file: samples held in memory, handed out as slices of one array. It is also what adding
/// a source costs: one class implementing <see cref="IAudioSource"/>.
/// </summary>
internal sealed class MemorySource(AudioFormat format, byte[] samples, bool knownLength = true) : IAudioSource
{
    private int _position;

    public AudioFormat Format => format;

    public long? TotalFrames => knownLength ? samples.Length / format.BlockAlign : null;

    public int Reads { get; private set; }

    public bool Disposed { get; private set; }

    public ValueTask<ReadOnlySequence<byte>> ReadAsync(int frames, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        Reads++;
        int length = Math.Min(frames * format.BlockAlign, samples.Length - _position);
        var block = new ReadOnlySequence<byte>(samples, _position, length);
        _position += length;
        return ValueTask.FromResult(block);
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

using System.Buffers;
using Streamer.Media;
using Streamer.Media.Sources;

namespace Streamer.Tests.Streaming.Broadcasting;

/// <summary>
/// A live input the test drives: samples in memory, handed out only as the test releases them, so what a broadcast
/// has published when a listener joins or stalls is exact, with no timing involved. Reads wait like a capture device's.
/// </summary>
internal sealed class GatedSource(AudioFormat format, byte[] samples) : IAudioSource
{
    private readonly SemaphoreSlim _released = new(0);
    private readonly Lock _lock = new();
    private long _releasedFrames;
    private long _position;
    private bool _finished;

    public AudioFormat Format => format;

    public long? TotalFrames => null;

    public long FramesAvailable => samples.Length / format.BlockAlign;

    /// <summary>Lets <paramref name="frames"/> more sample frames through.</summary>
    public void Release(long frames)
    {
        lock (_lock)
        {
            _releasedFrames += frames;
        }

        _released.Release();
    }

    /// <summary>Ends the input once what was released has been read.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            _finished = true;
        }

        _released.Release();
    }

    public async ValueTask<ReadOnlySequence<byte>> ReadAsync(int frames, CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_lock)
            {
                long position = _position;
                long available = Math.Min(_releasedFrames, FramesAvailable) - position;
                if (available >= frames || (_finished && available >= 0))
                {
                    int take = (int)Math.Min(frames, available);
                    _position += take;
                    return new ReadOnlySequence<byte>(samples, (int)(position * format.BlockAlign), take * format.BlockAlign);
                }
            }

            await _released.WaitAsync(cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        _released.Dispose();
        return ValueTask.CompletedTask;
    }
}

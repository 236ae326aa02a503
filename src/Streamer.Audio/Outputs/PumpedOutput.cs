using System.Buffers;
using Streamer.Audio.Playback;

namespace Streamer.Audio.Outputs;

/// <summary>An output without a clock: takes audio as soon as it is buffered and hands it to <see cref="Write"/>.</summary>
internal abstract class PumpedOutput : IUnclockedOutput
{
    private const int BlockBytes = 64 * 1024;

    public abstract string Description { get; }

    public async Task RunAsync(IPlayoutSource source, CancellationToken cancellationToken)
    {
        byte[] block = ArrayPool<byte>.Shared.Rent(BlockBytes);
        try
        {
            Open(source.Format);
            while (true)
            {
                await source.WaitForDataAsync(cancellationToken);
                int count = source.Read(block);
                if (count > 0)
                {
                    Write(block.AsSpan(0, count));
                }
                else if (source.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    void IUnclockedOutput.Open(AudioFormat format) => Open(format);

    void IUnclockedOutput.Write(ReadOnlySpan<byte> pcm) => Write(pcm);

    protected abstract void Open(AudioFormat format);

    protected abstract void Write(ReadOnlySpan<byte> pcm);
}

using System.Diagnostics;
using Streamer.Media.Playout;

namespace Streamer.Media.Outputs;

/// <summary>
/// Discards audio at the stream's real-time rate, pulling one block per period on a fixed schedule the way a sound
/// card's period interrupt does: latency, underruns and the jitter buffer can be measured on a machine without a
/// card. Periods are counted from the start, so the clock does not drift; a wake-up that comes late pulls every
/// block that fell due meanwhile, as a card drains its buffer.
/// </summary>
public sealed class PacedNullOutput : IClockedOutput
{
    // A card holds a few periods: later than this it would have run dry at the device (not visible to the jitter
    // buffer, as with a real card), so the schedule restarts instead of pulling a burst of stale blocks.
    private const int MaxCatchUpBlocks = 4;

    private readonly double _blockMilliseconds;

    /// <summary>Pulls one block of <paramref name="blockMilliseconds"/> ms per period, like a card with that period.</summary>
    public PacedNullOutput(double blockMilliseconds)
    {
        _blockMilliseconds = blockMilliseconds;
    }

    /// <inheritdoc/>
    public string Description => $"null, paced like a sound card ({_blockMilliseconds:0.#} ms blocks)";

    /// <inheritdoc/>
    public Task RunAsync(IPlayoutSource source, CancellationToken cancellationToken)
        => Task.Factory.StartNew(() => Run(source, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Run(IPlayoutSource source, CancellationToken cancellationToken)
    {
        var format = source.Format;
        int blockFrames = Math.Max(1, (int)Math.Round(format.SampleRate * _blockMilliseconds / 1000));
        var block = new byte[blockFrames * format.BlockAlign];
        long periodTicks = (long)(Stopwatch.Frequency * (double)blockFrames / format.SampleRate);
        long start = Stopwatch.GetTimestamp();
        long played = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long due = start + (played * periodTicks);
            long wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                MonotonicSleeper.SleepUntil(due);
                continue;
            }

            if (-wait > MaxCatchUpBlocks * periodTicks)
            {
                start = Stopwatch.GetTimestamp();
                played = 0;
            }

            int filled = source.ReadClocked(block);
            played++;
            if (filled < block.Length && source.IsCompleted)
            {
                return;
            }
        }
    }
}

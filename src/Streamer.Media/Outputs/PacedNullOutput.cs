using System.Globalization;
using Streamer.Media.Playout;
using Streamer.Protocol;

namespace Streamer.Media.Outputs;

/// <summary>
/// Discards audio at the stream's real-time rate, pulling one block per period on a fixed schedule the way a sound
/// card's period interrupt does: latency, underruns, the jitter buffer and synchronized playout can be measured on a
/// machine without a card. Periods are counted from the start (<see cref="CardSchedule"/>), so the clock does not
/// drift unless told to: <c>--card-ppm</c> gives it a card's clock error. Each pull says when its block will be
/// heard (the schedule plus a simulated output latency of two blocks). A wake-up that comes late pulls every block
/// that fell due meanwhile, as a card drains its buffer.
/// </summary>
public sealed class PacedNullOutput : IClockedOutput
{
    private readonly double _blockMilliseconds;
    private readonly double _cardPpm;

    /// <summary>Pulls one block of <paramref name="blockMilliseconds"/> ms per period, like a card with that period.</summary>
    /// <param name="blockMilliseconds">Audio per pull.</param>
    /// <param name="cardPpm">The simulated card's clock error: positive plays fast.</param>
    public PacedNullOutput(double blockMilliseconds, double cardPpm = 0)
    {
        _blockMilliseconds = blockMilliseconds;
        _cardPpm = cardPpm;
    }

    /// <inheritdoc/>
    public string Description => _cardPpm == 0
        ? string.Create(CultureInfo.InvariantCulture, $"null, paced like a sound card ({_blockMilliseconds:0.#} ms blocks)")
        : string.Create(CultureInfo.InvariantCulture, $"null, paced like a sound card ({_blockMilliseconds:0.#} ms blocks, clock {_cardPpm:+0.#;-0.#} ppm)");

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
        var card = new CardSchedule(format.SampleRate, blockFrames, _cardPpm, WallClock.NowMicroseconds());
        long played = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long due = card.DueMicroseconds(played);
            long now = WallClock.NowMicroseconds();
            if (due > now)
            {
                // WallClock is the Stopwatch's time: sleep on the Stopwatch until the block falls due.
                MonotonicSleeper.SleepUntil(System.Diagnostics.Stopwatch.GetTimestamp() + (long)((due - now) * (System.Diagnostics.Stopwatch.Frequency / 1e6)));
                continue;
            }

            // A card holds a few periods: later than that it ran dry at the device (not visible to the jitter buffer,
            // as with a real card), so the schedule restarts instead of pulling a burst of stale blocks.
            if (card.RestartIfRanDry(played, now))
            {
                played = 0;
            }

            int filled = source.ReadClocked(block, card.PresentationMicroseconds(played));
            played++;
            if (filled < block.Length && source.IsCompleted)
            {
                return;
            }
        }
    }
}

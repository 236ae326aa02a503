using System.Buffers;
using Streamer.Media.Playout;
using Streamer.Protocol;

namespace Streamer.Media.Outputs;

/// <summary>
/// Hands each frame straight to an unclocked output as it is decoded: playout time is arrival time, so the
/// jitter buffer, its ring copy and its pump would only add work. Owns the output: disposing finalizes it.
/// </summary>
public sealed class UnclockedOutputSink : IPcmOutputSink
{
    private readonly IUnclockedOutput _output;
    private readonly PlaybackStats _stats;
    private readonly int _blockAlign;

    /// <summary>Opens <paramref name="output"/> with <paramref name="format"/> and counts into <paramref name="stats"/>; the sink owns the output from here.</summary>
    public UnclockedOutputSink(IUnclockedOutput output, AudioFormat format, PlaybackStats stats)
    {
        _output = output;
        _stats = stats;
        _blockAlign = format.BlockAlign;
        output.Open(format);
    }

    /// <inheritdoc/>
    public bool TryWrite(in ReadOnlySequence<byte> pcm, long sendTimeUs)
    {
        try
        {
            foreach (var segment in pcm)
            {
                _output.Write(segment.Span);
            }
        }
        catch (IOException ex)
        {
            throw new IOException($"{_output.Description}: {ex.Message}", ex);
        }

        _stats.AddPlayed(pcm.Length / _blockAlign);
        _stats.Latency.Record(WallClock.NowMicroseconds() + _stats.ClockOffset.OffsetMicroseconds - sendTimeUs);
        return true;
    }

    /// <inheritdoc/>
    public ValueTask WaitForSpaceAsync(int bytes, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public string Description => _output.Description;

    /// <summary>Everything was written as it came: nothing is held back.</summary>
    public ValueTask CompleteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Disposes (finalizes) the output.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _output.DisposeAsync();
        }
        catch (IOException ex)
        {
            throw new IOException($"{_output.Description}: {ex.Message}", ex);
        }
    }
}

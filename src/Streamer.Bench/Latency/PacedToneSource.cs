using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using Streamer.Media;
using Streamer.Media.Playout;
using Streamer.Media.Sources;
using Streamer.Protocol;

namespace Streamer.Bench.Latency;

/// <summary>
/// A live input for the bench: a 440 Hz tone (16-bit) whose samples exist only once their time has come, like a
/// sound card's capture. A read of N frames returns when the last of them has been "captured", and records the
/// frame's capture and read times in the timeline. Ends after <c>totalFrames</c>. Optionally writes what it produced
/// (<c>--keep</c>). One preallocated block: no allocation per read.
/// </summary>
internal sealed class PacedToneSource : IAudioSource
{
    private const double ToneHz = 440;
    private const double Amplitude = 0.25;

    private readonly StageTimeline _timeline;
    private readonly long _totalFrames;
    private readonly byte[] _block;
    private readonly Action<ReadOnlySpan<byte>>? _keep;
    private long _position;
    private long _reads;
    private long _startUs = long.MinValue;

    public PacedToneSource(AudioFormat format, long totalFrames, int maxReadFrames, StageTimeline timeline, Action<ReadOnlySpan<byte>>? keep)
    {
        if (format.Encoding != SampleEncoding.Int16)
        {
            throw new ArgumentException("the bench's tone is 16-bit", nameof(format));
        }

        Format = format;
        _totalFrames = totalFrames;
        _timeline = timeline;
        _keep = keep;
        _block = new byte[Math.Max(1, maxReadFrames) * format.BlockAlign];
    }

    public AudioFormat Format { get; }

    public long? TotalFrames => _totalFrames;

    /// <summary>When the first sample was captured (µs, <see cref="WallClock"/>), set by the first read.</summary>
    public long StartMicroseconds => _startUs;

    public async ValueTask<ReadOnlySequence<byte>> ReadAsync(int frames, CancellationToken cancellationToken)
    {
        if (_startUs == long.MinValue)
        {
            _startUs = WallClock.NowMicroseconds();
        }

        frames = (int)Math.Min(Math.Min(frames, _totalFrames - _position), _block.Length / Format.BlockAlign);
        if (frames <= 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        long captureUs = _startUs + (long)Math.Round(_position * 1e6 / Format.SampleRate);
        long dueUs = _startUs + (long)Math.Round((_position + frames) * 1e6 / Format.SampleRate);
        await WaitUntilAsync(dueUs, cancellationToken);
        int length = frames * Format.BlockAlign;
        Fill(_block.AsSpan(0, length), _position);
        _position += frames;
        int index = _timeline.Index(_reads++);
        if (index >= 0)
        {
            _timeline.Capture[index] = captureUs;
            _timeline.ReadDone[index] = WallClock.NowMicroseconds();
        }

        _keep?.Invoke(_block.AsSpan(0, length));
        return new ReadOnlySequence<byte>(_block, 0, length);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Sleeps the coarse part on a timer and the last 2 ms on the precise sleeper, so a frame leaves on time.</summary>
    private static async ValueTask WaitUntilAsync(long dueUs, CancellationToken cancellationToken)
    {
        long remaining = dueUs - WallClock.NowMicroseconds();
        if (remaining > 3000)
        {
            await Task.Delay(TimeSpan.FromMicroseconds(remaining - 2000), cancellationToken);
        }
        else if (remaining > 0)
        {
            // Never sleep on the caller's thread: a PCM session runs on the server's pacing clock.
            await Task.Yield();
        }

        remaining = dueUs - WallClock.NowMicroseconds();
        if (remaining > 0)
        {
            MonotonicSleeper.SleepUntil(Stopwatch.GetTimestamp() + (long)(remaining * (Stopwatch.Frequency / 1e6)));
        }
    }

    private void Fill(Span<byte> destination, long firstFrame)
    {
        int channels = Format.Channels;
        double step = 2 * Math.PI * ToneHz / Format.SampleRate;
        int frames = destination.Length / Format.BlockAlign;
        for (int i = 0; i < frames; i++)
        {
            short sample = (short)(Math.Sin((firstFrame + i) * step) * Amplitude * short.MaxValue);
            for (int c = 0; c < channels; c++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(destination[(((i * channels) + c) * 2)..], sample);
            }
        }
    }
}

using Streamer.Protocol.Threading;

namespace Streamer.Media.Sources.Live;

/// <summary>
/// Keeps a live input from outrunning real time: it hands out sample frames no faster than the clock allows, plus a
/// bounded lead. A paced writer (a music player, a capture device) never meets the limit; an unpaced one
/// (<c>sox music.wav -t wav - | streamer serve -</c>) is held to real time, and the pipe's back-pressure slows it.
/// A writer that is slower, or stalls, banks no more than the lead, so what follows a stall is a burst of at most
/// twice the lead, never the whole stall.
/// </summary>
/// <remarks>Allocation-free: one timer and one signal, re-armed per wait.</remarks>
internal sealed class RealTimePacer : IDisposable
{
    private readonly TimeProvider _clock;
    private readonly int _sampleRate;
    private readonly long _leadFrames;
    private readonly AsyncSignal _wake = new();
    private readonly ITimer _timer;
    private long _epoch;
    private long _delivered;
    private bool _started;

    public RealTimePacer(int sampleRate, TimeSpan lead, TimeProvider? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        _clock = clock ?? TimeProvider.System;
        _sampleRate = sampleRate;
        _leadFrames = (long)Math.Round(lead.TotalSeconds * sampleRate);
        _timer = _clock.CreateTimer(static state => ((AsyncSignal)state!).Set(), _wake, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The default lead: 200 ms, enough for a writer's bursty buffer flushes, small next to any listener's buffer.</summary>
    public static TimeSpan DefaultLead => TimeSpan.FromMilliseconds(200);

    /// <summary>Frames handed out so far.</summary>
    public long Delivered => _delivered;

    /// <summary>
    /// Waits until <paramref name="frames"/> more may be handed out, then counts them as delivered. The first call
    /// starts the clock.
    /// </summary>
    public async ValueTask DeliverAsync(int frames, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long wait = WaitTicks(frames);
            if (wait <= 0)
            {
                _delivered += frames;
                return;
            }

            _timer.Change(TimeSpan.FromTicks(wait), Timeout.InfiniteTimeSpan);
            await _wake.WaitAsync();
        }
    }

    public void Dispose() => _timer.Dispose();

    /// <summary>Clock ticks (TimeSpan ticks) until the frames are due; zero or less when they may go now.</summary>
    private long WaitTicks(int frames)
    {
        long now = _clock.GetTimestamp();
        if (!_started)
        {
            _started = true;
            _epoch = now;
        }

        long elapsedFrames = (long)((now - _epoch) * (double)_sampleRate / _clock.TimestampFrequency);
        long behind = elapsedFrames - _delivered;
        if (behind > _leadFrames)
        {
            // A slow or stalled writer: bank no more than the lead, by moving the epoch forward.
            _epoch += (long)((behind - _leadFrames) * (double)_clock.TimestampFrequency / _sampleRate);
            elapsedFrames = _delivered + _leadFrames;
        }

        long ahead = _delivered + frames - elapsedFrames - _leadFrames;
        return ahead <= 0 ? 0 : (long)Math.Ceiling(ahead * (double)TimeSpan.TicksPerSecond / _sampleRate);
    }
}

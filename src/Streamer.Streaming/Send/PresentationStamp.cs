using Streamer.Protocol;

namespace Streamer.Streaming.Send;

/// <summary>
/// Gives each frame of one stream its presentation time: when it was captured (read from its source) plus the
/// stream latency, on the server's wall clock. Within a stream the times follow the samples exactly (frame k's time
/// is the first frame's plus k frames' duration), so listeners see no jitter from how the reads were scheduled;
/// a read that comes later than that (a live input that stalled, a FIFO whose writer came back) moves the anchor to
/// it, so after a stall the stream resumes with its latency instead of arriving "late" forever. One instance spans
/// a stream's passes (<c>--loop</c>), so the times run on across them. Called on the sending thread; no allocation.
/// </summary>
internal sealed class PresentationStamp
{
    private readonly long _latencyUs;
    private readonly double _sampleRate;
    private readonly long _slackUs;
    private readonly Func<long> _now;
    private long _anchorUs = long.MinValue;
    private long _samples;

    /// <param name="latency">From capture to playout at every listener.</param>
    /// <param name="sampleRate">The rate the frames' sample counts are in (the stream info's).</param>
    /// <param name="now">The wall clock in µs (a test passes a simulated one).</param>
    public PresentationStamp(TimeSpan latency, int sampleRate, Func<long>? now = null)
    {
        _latencyUs = (long)latency.TotalMicroseconds;
        _sampleRate = sampleRate;
        _now = now ?? WallClock.NowMicroseconds;
        // Reads a little late are scheduling noise; later than this the source stalled.
        _slackUs = Math.Max(20_000, _latencyUs / 2);
    }

    /// <summary>The stream latency, in µs.</summary>
    public long LatencyMicroseconds => _latencyUs;

    /// <summary>The presentation time of the frame just read, which holds <paramref name="samples"/> samples per channel.</summary>
    public long Next(int samples)
    {
        long now = _now();
        long captured = _anchorUs == long.MinValue ? now : _anchorUs + (long)Math.Round(_samples * 1e6 / _sampleRate);
        if (now - captured > _slackUs)
        {
            // The source stalled: this frame was captured now, not when the stream's count says.
            captured = now;
        }

        if (captured == now)
        {
            _anchorUs = now;
            _samples = 0;
        }

        _samples += samples;
        return captured + _latencyUs;
    }
}

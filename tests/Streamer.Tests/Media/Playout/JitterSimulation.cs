using Streamer.Media;
using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Playout;

/// <summary>
/// Drives a <see cref="JitterBuffer"/> with a simulated clock: a sender makes frames on its own clock (which may
/// drift), a network delays them (in order, as TCP does), and a "sound card" reads fixed blocks on the
/// receiver's clock. No real time passes.
/// </summary>
internal sealed class JitterSimulation
{
    private readonly SimulatedClock _clock = new();
    private readonly byte[] _frame;
    private readonly byte[] _block;
    private long _nextFrame;
    private long _previousArrivalUs;
    private long _deviceTimeUs;
    private long _pendingArrivalUs = -1;
    private long _pendingSendUs;

    public JitterSimulation(JitterBufferOptions options, double frameMs = 20, double blockMs = 10, int sampleRate = 48000)
    {
        Format = new AudioFormat(sampleRate, 2, SampleEncoding.Int16);
        FrameMs = frameMs;
        BlockMs = blockMs;
        _frame = new byte[Format.BytesFor(TimeSpan.FromMilliseconds(frameMs))];
        _block = new byte[Format.BytesFor(TimeSpan.FromMilliseconds(blockMs))];
        Buffer = new JitterBuffer(Format, options, Stats, _clock);
    }

    public AudioFormat Format { get; }

    public double FrameMs { get; }

    public double BlockMs { get; }

    public PlaybackStats Stats { get; } = new();

    public JitterBuffer Buffer { get; }

    /// <summary>The sender's clock rate against the receiver's, in ppm (+200: the sender runs fast).</summary>
    public double SenderDriftPpm { get; set; }

    /// <summary>Network delay of frame N in µs (added to its send time; arrivals stay in order).</summary>
    public Func<long, long> Delay { get; set; } = _ => 0;

    public double Seconds => _deviceTimeUs / 1e6;

    /// <summary>Runs for <paramref name="seconds"/> of receiver time; <paramref name="afterBlock"/> sees each block.</summary>
    public void Run(double seconds, Action? afterBlock = null)
    {
        long end = _deviceTimeUs + (long)(seconds * 1e6);
        long blockUs = (long)(BlockMs * 1000);
        while (_deviceTimeUs < end)
        {
            DeliverUntil(_deviceTimeUs);
            _clock.Now = _deviceTimeUs;
            Buffer.ReadClocked(_block);
            afterBlock?.Invoke();
            _deviceTimeUs += blockUs;
        }
    }

    private void DeliverUntil(long nowUs)
    {
        while (true)
        {
            if (_pendingArrivalUs < 0)
            {
                _pendingSendUs = (long)(_nextFrame * FrameMs * 1000 / (1 + (SenderDriftPpm * 1e-6)));
                _pendingArrivalUs = Math.Max(_previousArrivalUs, _pendingSendUs + Delay(_nextFrame));
            }

            long sendUs = _pendingSendUs;
            long arrivalUs = _pendingArrivalUs;
            if (arrivalUs > nowUs)
            {
                return;
            }

            _clock.Now = arrivalUs;
            if (!Buffer.TryWrite(_frame, sendUs))
            {
                throw new InvalidOperationException("the simulated buffer overflowed");
            }

            _previousArrivalUs = arrivalUs;
            _pendingArrivalUs = -1;
            _nextFrame++;
        }
    }
}

namespace Streamer.Media.Playout;

/// <summary>
/// Measures arrival jitter for the adaptive target. Each frame's relative delay is its arrival time minus its
/// media time, less the smallest such value of the last ~10 s (the fastest recent frame defines "on time"; a
/// window rather than an all-time minimum lets clock drift pass). The jitter is the larger of the 95th
/// percentile of a forgetting histogram of those delays (NetEQ) and a peak that follows a spike at once and
/// decays slowly, so the target grows fast and shrinks slowly. Producer thread only.
/// </summary>
internal sealed class JitterEstimator
{
    private readonly double _percentile;
    private readonly bool _holdPeaks;
    private const long MinimumBlockUs = 2_000_000;
    private const int MinimumBlocks = 5;
    private const double PeakHalfLifeSeconds = 10;

    private readonly DelayHistogram _histogram;
    private readonly long[] _blockMinimum = new long[MinimumBlocks];
    private int _block;
    private long _blockStartMediaUs = long.MinValue;
    private double _peakMilliseconds;
    private long _lastMediaUs;

    /// <param name="maxMilliseconds">The largest delay the histogram holds.</param>
    /// <param name="percentile">The quantile of the delays the jitter is (0.95: the default adaptive strategy's).</param>
    /// <param name="holdPeaks">Also hold the largest recent delay, decaying (the default strategy); off follows the quantile alone.</param>
    public JitterEstimator(double maxMilliseconds, double percentile = 0.95, bool holdPeaks = true)
    {
        _percentile = percentile;
        _holdPeaks = holdPeaks;
        // ~500 frames of memory: 10 s at 20 ms frames.
        _histogram = new DelayHistogram((int)Math.Ceiling(maxMilliseconds), 500);
        Array.Fill(_blockMinimum, long.MaxValue);
    }

    /// <summary>The current jitter estimate in ms (0 before any frame).</summary>
    public double JitterMilliseconds { get; private set; }

    /// <param name="arrivalUs">When the frame arrived, on the receiver's clock.</param>
    /// <param name="mediaUs">The frame's position in the stream, in µs of audio from its start.</param>
    public void Add(long arrivalUs, long mediaUs)
    {
        long transit = arrivalUs - mediaUs;
        if (_blockStartMediaUs == long.MinValue)
        {
            _blockStartMediaUs = mediaUs;
        }
        else if (mediaUs - _blockStartMediaUs >= MinimumBlockUs)
        {
            _block = (_block + 1) % MinimumBlocks;
            _blockMinimum[_block] = long.MaxValue;
            _blockStartMediaUs = mediaUs;
        }

        _blockMinimum[_block] = Math.Min(_blockMinimum[_block], transit);
        long minimum = long.MaxValue;
        for (int i = 0; i < MinimumBlocks; i++)
        {
            minimum = Math.Min(minimum, _blockMinimum[i]);
        }

        double delay = (transit - minimum) / 1000.0;
        _histogram.Add(delay);

        double elapsedSeconds = Math.Max(0, mediaUs - _lastMediaUs) / 1e6;
        _lastMediaUs = mediaUs;
        _peakMilliseconds = _holdPeaks ? Math.Max(delay, _peakMilliseconds * Math.Pow(0.5, elapsedSeconds / PeakHalfLifeSeconds)) : 0;
        JitterMilliseconds = Math.Max(_histogram.Quantile(_percentile), _peakMilliseconds);
    }
}

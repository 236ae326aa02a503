namespace Streamer.Media.Playout;

/// <summary>
/// Keeps a playing buffer at its target against clock drift: measures the depth without the packet sawtooth,
/// asks the <see cref="DriftController"/> how many sample frames to slip in this block (at most an eighth of it),
/// and reads the block dropping (positive) or repeating (negative) single sample frames spread evenly through it.
/// Consumer (audio) thread only; allocates nothing.
/// </summary>
internal sealed class DriftCorrector
{
    private readonly DriftController _controller;
    private readonly int _blockAlign;

    public DriftCorrector(int sampleRate, int blockAlign)
    {
        _controller = new DriftController(sampleRate);
        _blockAlign = blockAlign;
    }

    /// <summary>The estimated drift of the sender's clock against ours, in ppm (0 while not correcting).</summary>
    public double DriftPpm => _controller.DriftPpm;

    /// <summary>The smoothed depth the controller steers, in ms (NaN before the first block).</summary>
    public double SmoothedDepthMilliseconds => _controller.SmoothedDepthMilliseconds;

    /// <summary>Forget the smoothed depth: playback (re)starts at its target.</summary>
    public void Restart() => _controller.Restart();

    /// <summary>How many sample frames to drop (positive) or repeat (negative) in a block of <paramref name="frames"/>.</summary>
    /// <param name="depthMs">Audio buffered now.</param>
    /// <param name="sinceArrivalMs">Time since the newest frame arrived.</param>
    /// <param name="frameMs">The newest frame's duration.</param>
    /// <param name="targetMs">The depth to hold.</param>
    /// <param name="frames">Sample frames in this block.</param>
    public int Plan(double depthMs, double sinceArrivalMs, double frameMs, double targetMs, int frames)
    {
        // Offsets within half a packet are noise in the depth measurement: the controller leaves them alone.
        double deadBand = (frameMs / 2) + 1;
        return Math.Clamp(_controller.Update(ContinuousDepth(depthMs, sinceArrivalMs, frameMs), targetMs, deadBand, frames), -frames / 8, frames / 8);
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="ring"/>, which holds at least its length plus <paramref name="adjust"/> frames.</summary>
    public void Read(PlayoutRing ring, Span<byte> buffer, int adjust) => SampleSlips.Read(ring, buffer, adjust, _blockAlign);

    // Audio arrives a packet at a time, so the plain depth is a sawtooth, and sampling it at the device's block
    // times aliases (the sampled mean jumps by up to half a packet as the two clocks' phases slide). Counting the
    // part of the newest packet that a steady stream would not have delivered yet takes the sawtooth out.
    private static double ContinuousDepth(double depthMs, double sinceArrivalMs, double frameMs)
        => depthMs + Math.Clamp(sinceArrivalMs, 0, frameMs) - (frameMs / 2);
}

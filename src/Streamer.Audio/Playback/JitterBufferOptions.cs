namespace Streamer.Audio.Playback;

/// <summary>How much audio the receiver holds back before and during playout.</summary>
public sealed class JitterBufferOptions
{
    /// <summary>
    /// Target delay the buffer fills to before playing and after an underrun, in ms. Default 40.
    /// Lower means less latency and more risk of underruns on a jittery network.
    /// </summary>
    public double TargetMilliseconds { get; set; } = 40;

    /// <summary>
    /// Most audio held, in ms; a faster sender waits (TCP backpressure). Default 2000. It bounds memory per stream.
    /// </summary>
    public double CapacityMilliseconds { get; set; } = 2000;
}

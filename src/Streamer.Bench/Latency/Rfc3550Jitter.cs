namespace Streamer.Bench.Latency;

/// <summary>
/// RFC 3550's interarrival jitter (section 6.4.1, appendix A.8): for consecutive packets i-1 and i,
/// D = (R_i - R_{i-1}) - (S_i - S_{i-1}) with R the arrival time and S the media timestamp (both in µs here), and
/// J += (|D| - J) / 16. A pure function of the two series; the first packet only sets the reference.
/// </summary>
public static class Rfc3550Jitter
{
    /// <summary>The jitter estimate after the last packet, in µs (0 for fewer than two packets).</summary>
    /// <param name="arrivalUs">Arrival times, in arrival order.</param>
    /// <param name="mediaUs">The same packets' media timestamps (presentation of their first sample), in µs.</param>
    /// <exception cref="ArgumentException">The series differ in length.</exception>
    public static double Compute(ReadOnlySpan<long> arrivalUs, ReadOnlySpan<long> mediaUs)
    {
        if (arrivalUs.Length != mediaUs.Length)
        {
            throw new ArgumentException("arrival and media series must be of one length", nameof(mediaUs));
        }

        double jitter = 0;
        for (int i = 1; i < arrivalUs.Length; i++)
        {
            jitter = Next(jitter, arrivalUs[i] - arrivalUs[i - 1], mediaUs[i] - mediaUs[i - 1]);
        }

        return jitter;
    }

    /// <summary>One step: the estimate after a packet that came <paramref name="arrivalDeltaUs"/> after the previous
    /// one and is <paramref name="mediaDeltaUs"/> later in media time.</summary>
    public static double Next(double jitter, long arrivalDeltaUs, long mediaDeltaUs)
    {
        double d = arrivalDeltaUs - mediaDeltaUs;
        return jitter + ((Math.Abs(d) - jitter) / 16);
    }
}

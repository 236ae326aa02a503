namespace Streamer.Streaming.Receive.Http;

/// <summary>
/// How far the audio received from a live HTTP stream runs ahead of the wall clock: the media time kept since the
/// audio last ran dry, against the time it took to arrive. A packet that would put it more than the longest page plus
/// <see cref="SlackUs"/> ahead (Icecast's burst on connect, a backlog after a stall) is behind the live edge, and
/// <see cref="OggOpusDepacketizer"/> drops it as late so playout stays at the edge instead of seconds behind it.
/// </summary>
internal sealed class LiveEdge
{
    /// <summary>How far beyond the longest page's duration audio may run ahead of the wall clock (µs).</summary>
    public const long SlackUs = 250_000;

    private long _startUs = long.MinValue;
    private long _mediaUs;
    private long _longestPageUs;

    /// <summary>Notes a page of <paramref name="samples"/> (48 kHz): the longest one sets how much lead is normal.</summary>
    public void AddPage(long samples)
        => _longestPageUs = Math.Max(_longestPageUs, samples * 1_000_000 / OpusOggHeaders.GranuleRate);

    /// <summary>Whether a packet of <paramref name="samples"/> arriving at <paramref name="arrivalUs"/> is behind the live edge; if not, it is counted as kept.</summary>
    public bool IsBehind(long arrivalUs, int samples)
    {
        if (_startUs == long.MinValue || arrivalUs - _startUs > _mediaUs)
        {
            // Audio ran dry against the wall clock (start, a stall): what arrives now starts the count afresh.
            _startUs = arrivalUs - _mediaUs;
        }

        long lead = _mediaUs - (arrivalUs - _startUs);
        if (lead > _longestPageUs + SlackUs)
        {
            return true;
        }

        _mediaUs += samples * 1_000_000L / OpusOggHeaders.GranuleRate;
        return false;
    }
}

namespace Streamer.Media.Outputs;

/// <summary>
/// The clock of a simulated sound card: block <c>n</c> is due at <c>n × period</c> after the start, where the period is
/// the block's nominal duration shortened by the card's clock error (+300 ppm: a card that plays 300 ppm fast, as
/// real cards err by tens to hundreds of ppm), and its first sample reaches the "speaker" one
/// <see cref="LatencyMicroseconds"/> after it is pulled (a real card's buffer). Pure arithmetic in µs, so tests drive
/// it on a simulated clock and <see cref="PacedNullOutput"/> on the real one.
/// </summary>
internal sealed class CardSchedule
{
    public CardSchedule(int sampleRate, int blockFrames, double cardPpm, long startUs)
    {
        BlockFrames = blockFrames;
        CardPpm = cardPpm;
        PeriodMicroseconds = blockFrames * 1e6 / sampleRate / (1 + (cardPpm * 1e-6));
        // Two blocks in the card's buffer, like a double-buffered device.
        LatencyMicroseconds = (long)Math.Round(2 * blockFrames * 1e6 / sampleRate);
        StartMicroseconds = startUs;
    }

    public int BlockFrames { get; }

    public double CardPpm { get; }

    /// <summary>Time between blocks on the true clock, in µs.</summary>
    public double PeriodMicroseconds { get; }

    /// <summary>From pulling a block to its first sample being heard, in µs.</summary>
    public long LatencyMicroseconds { get; }

    public long StartMicroseconds { get; private set; }

    /// <summary>When block <paramref name="block"/> is pulled.</summary>
    public long DueMicroseconds(long block) => StartMicroseconds + (long)Math.Round(block * PeriodMicroseconds);

    /// <summary>When block <paramref name="block"/>'s first sample is heard.</summary>
    public long PresentationMicroseconds(long block) => DueMicroseconds(block) + LatencyMicroseconds;

    /// <summary>
    /// How many periods late a pull may come and still find the card playing: a card holds a few, so a wake-up up
    /// to this late pulls every block that fell due meanwhile (with its scheduled times: nothing moves), and a later
    /// one finds it run dry at the device (<see cref="RestartIfRanDry"/>).
    /// </summary>
    public const int MaxCatchUpBlocks = 4;

    /// <summary>The card ran dry at the device and restarts its schedule from <paramref name="nowUs"/>.</summary>
    public void Restart(long nowUs) => StartMicroseconds = nowUs;

    /// <summary>
    /// For a pull of block <paramref name="block"/> at <paramref name="nowUs"/>: past <see cref="MaxCatchUpBlocks"/>
    /// periods late the card ran dry at the device, as a real one underruns, and its schedule restarts from now
    /// (true: the next block is block 0 again, and playout is placed anew). A later but shorter wake-up is caught up.
    /// </summary>
    public bool RestartIfRanDry(long block, long nowUs)
    {
        if (nowUs - DueMicroseconds(block) <= MaxCatchUpBlocks * PeriodMicroseconds)
        {
            return false;
        }

        Restart(nowUs);
        return true;
    }
}

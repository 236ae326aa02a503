using System.Buffers;
using System.Buffers.Binary;
using Streamer.Media;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Protocol.ClockSync;

namespace Streamer.Tests.Media.Playout;

/// <summary>
/// One synchronized listener on a simulated clock: a server stamps 20 ms frames with presentation times (capture +
/// <see cref="LatencyUs"/>, on its own clock, which is ours plus <see cref="TrueOffsetUs"/>), they arrive
/// <see cref="TransitUs"/> after capture plus <see cref="Jitter"/>, the clock offset estimator hears pongs with a
/// given error on ClockPinger's schedule (50 quick ones 10 ms apart from the first capture, then one a second), and a
/// <see cref="CardSchedule"/> card at <see cref="CardPpm"/> pulls 5 ms blocks. Every sample
/// carries its index in the stream (left channel: low 16 bits, right: high), so the output shows every slip.
/// </summary>
internal sealed class SyncSimulation : IPlayoutLog
{
    public const int Rate = 48000;
    public const int FrameSamples = 960;
    public const int BlockFrames = 240;
    public const long StartUs = 1_764_064_800_000_000;

    private readonly AudioFormat _format = new(Rate, 2, SampleEncoding.Int16);
    private readonly SimulatedClock _clock = new();
    private readonly PlaybackStats _stats = new();
    private readonly List<int> _played = [];

    public SyncSimulation(double cardPpm, long trueOffsetUs = 0, long offsetErrorUs = 0)
    {
        CardPpm = cardPpm;
        TrueOffsetUs = trueOffsetUs;
        OffsetErrorUs = offsetErrorUs;
        Buffer = new JitterBuffer(_format, new JitterBufferOptions(), _stats, _clock, this);
    }

    public double CardPpm { get; }

    /// <summary>The server's clock minus ours.</summary>
    public long TrueOffsetUs { get; }

    /// <summary>What the offset estimator gets wrong.</summary>
    public long OffsetErrorUs { get; }

    public long LatencyUs { get; init; } = 100_000;

    public long TransitUs { get; init; } = 2_000;

    /// <summary>Extra network delay of frame k, in µs.</summary>
    public Func<long, long> Jitter { get; init; } = _ => 0;

    /// <summary>Extra delay on the way back of clock exchange i (a pong queued behind audio), in µs.</summary>
    public Func<int, long> PongDelay { get; init; } = _ => 0;

    /// <summary>How late the card's thread wakes for the block due at this time (µs from the first capture).</summary>
    public Func<long, long> WakeLateness { get; init; } = _ => 0;

    /// <summary>Times the card ran dry (a wake-up past <see cref="CardSchedule.MaxCatchUpBlocks"/> periods late).</summary>
    public int CardRestarts { get; private set; }

    /// <summary>When the card starts, on our clock, after the first frame's capture.</summary>
    public long CardStartDelayUs { get; init; } = 37_321;

    public JitterBuffer Buffer { get; }

    /// <summary>Log rows: sequence → presented time on the server's clock (as the listener maps it).</summary>
    public Dictionary<uint, long> Log { get; } = [];

    /// <summary>Sample indices played, in order (−1: silence).</summary>
    public IReadOnlyList<int> Output => _played;

    /// <summary>The presentation time the server gave frame <paramref name="sequence"/>, on its clock.</summary>
    /// <remarks>The server captures frame 0 at <see cref="StartUs"/> on its clock, whatever the listener's clock says.</remarks>
    public long PresentationOf(uint sequence) => StartUs + LatencyUs + (long)Math.Round(sequence * FrameSamples * 1e6 / Rate);

    /// <summary>Plays <paramref name="seconds"/> of the stream (on the listener's clock, from the first capture).</summary>
    public void Run(double seconds)
    {
        var card = new CardSchedule(Rate, BlockFrames, CardPpm, StartUs - TrueOffsetUs + CardStartDelayUs);
        byte[] block = new byte[BlockFrames * _format.BlockAlign];
        byte[] frame = new byte[FrameSamples * _format.BlockAlign];
        uint nextFrame = 0;
        int exchanges = 0;
        long start = StartUs - TrueOffsetUs;
        long end = start + (long)(seconds * 1e6);
        long now = long.MinValue;
        // PacedNullOutput's loop: sleep to the next block's due time, wake (maybe late), pull every block that fell
        // due; a wake-up so late that the card ran dry restarts its schedule.
        for (long n = 0; card.DueMicroseconds(n) < end; n++)
        {
            long due = card.DueMicroseconds(n);
            if (due > now)
            {
                now = due + WakeLateness(due - start);
            }

            if (card.RestartIfRanDry(n, now))
            {
                n = 0;
                CardRestarts++;
            }

            while (PongTime(start, exchanges) <= now)
            {
                Pong(PongTime(start, exchanges), PongDelay(exchanges));
                exchanges++;
            }

            while (ArrivalOf(nextFrame) <= now)
            {
                _clock.Now = ArrivalOf(nextFrame);
                Fill(frame, nextFrame);
                long pt = PresentationOf(nextFrame);
                Assert.True(Buffer.TryWrite(new ReadOnlySequence<byte>(frame), new FrameStamp(nextFrame, (ulong)nextFrame * FrameSamples, pt - LatencyUs, pt)));
                nextFrame++;
            }

            _clock.Now = now;
            int filled = Buffer.ReadClocked(block, card.PresentationMicroseconds(n));
            Assert.Equal(block.Length, filled);
            for (int i = 0; i < BlockFrames; i++)
            {
                int left = BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(i * 4));
                int right = BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan((i * 4) + 2));
                _played.Add(left == 0 && right == 0 ? -1 : (right << 16) | left);
            }
        }
    }

    public void Played(uint sequence, ulong timestamp, long presentedServerUs) => Log[sequence] = presentedServerUs;

    private long ArrivalOf(uint sequence) => PresentationOf(sequence) - TrueOffsetUs - LatencyUs + TransitUs + Jitter(sequence);

    /// <summary>When exchange i's pong comes back: ClockPinger's quick burst, then one a second.</summary>
    private static long PongTime(long start, int i) => i < 50 ? start + (i * 10_000L) : start + 490_000 + ((i - 49) * 1_000_000L);

    private void Pong(long now, long delayBack)
    {
        // 200 µs each way (plus the delay on the way back), their clock TrueOffset + error ahead.
        long t0 = now - 400 - delayBack;
        long theirs = t0 + 200 + TrueOffsetUs + OffsetErrorUs;
        _stats.ClockOffset.Add(new ClockSample(t0, theirs, theirs, now));
    }

    private static void Fill(byte[] frame, uint sequence)
    {
        for (int i = 0; i < FrameSamples; i++)
        {
            // Index + 1, so that no sample of the stream looks like silence (0, 0).
            int index = (int)(sequence * FrameSamples) + i + 1;
            BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(i * 4), (ushort)index);
            BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan((i * 4) + 2), (ushort)(index >> 16));
        }
    }
}

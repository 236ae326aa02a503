using Streamer.Protocol;

namespace Streamer.Bench.Latency;

/// <summary>
/// Every timestamp of every frame of one latency run, in preallocated arrays indexed by the frame's number (its
/// sequence from the first one seen): the sender's stages write theirs on the sending thread, the receiver's on the
/// receive and output threads, and nothing is read until the run is over. Recording is one array store: no
/// allocation, lock or branch beyond the bounds check per packet. Times are <see cref="WallClock"/> µs; 0 means
/// "not seen". Frames past the capacity are counted, not recorded.
/// </summary>
internal sealed class StageTimeline
{
    private long _overflow;
    private long _firstSequence = -1;

    /// <param name="capacity">Frames to hold.</param>
    /// <param name="absoluteSequences">The sender is the bench's own: frame n is sequence n on both sides (the
    /// receiver may join after the first frames). Otherwise the receiver's first sequence is frame 0.</param>
    public StageTimeline(int capacity, bool absoluteSequences)
    {
        Capacity = capacity;
        AbsoluteSequences = absoluteSequences;
        Capture = new long[capacity];
        ReadDone = new long[capacity];
        EncodeDone = new long[capacity];
        Sent = new long[capacity];
        Arrived = new long[capacity];
        Parsed = new long[capacity];
        Decoded = new long[capacity];
        Readout = new long[capacity];
        PresentedServer = new long[capacity];
        OffsetAtArrival = new long[capacity];
        MediaUs = new long[capacity];
        Bytes = new int[capacity];
    }

    public int Capacity { get; }

    /// <summary>True when indexes are the sequences themselves (see the constructor).</summary>
    public bool AbsoluteSequences { get; }

    /// <summary>Sender clock: when the frame's first sample was captured (the live source's schedule).</summary>
    public long[] Capture { get; }

    /// <summary>Sender clock: when the source handed the frame out.</summary>
    public long[] ReadDone { get; }

    /// <summary>Sender clock: when the encoder returned the packet (0 for PCM).</summary>
    public long[] EncodeDone { get; }

    /// <summary>Sender clock: the frame header's send time.</summary>
    public long[] Sent { get; }

    /// <summary>Receiver clock: when the last bytes of the frame became readable.</summary>
    public long[] Arrived { get; }

    /// <summary>Receiver clock: when the parsed packet entered the sink chain.</summary>
    public long[] Parsed { get; }

    /// <summary>Receiver clock: when its PCM was in the jitter buffer.</summary>
    public long[] Decoded { get; }

    /// <summary>Receiver clock: when the output pulled its first sample.</summary>
    public long[] Readout { get; }

    /// <summary>Sender clock (as the receiver's offset estimate maps it): when its first sample is heard.</summary>
    public long[] PresentedServer { get; }

    /// <summary>The clock-offset estimate (server minus local, µs) when the frame entered the sink chain.</summary>
    public long[] OffsetAtArrival { get; }

    /// <summary>The frame's media time in µs (its timestamp over the sample rate).</summary>
    public long[] MediaUs { get; }

    /// <summary>The packet's payload size in bytes.</summary>
    public int[] Bytes { get; }

    /// <summary>Frames that did not fit.</summary>
    public long Overflow => Volatile.Read(ref _overflow);

    /// <summary>The first sequence the receiver saw, or -1.</summary>
    public long FirstSequence => Volatile.Read(ref _firstSequence);

    /// <summary>The index of the first frame the receiver saw, or -1.</summary>
    public long FirstIndex => FirstSequence < 0 ? -1 : AbsoluteSequences ? FirstSequence : 0;

    /// <summary>The receiver's index for <paramref name="sequence"/>, or -1 when out of range (counted).</summary>
    public int IndexOf(uint sequence)
    {
        long first = Volatile.Read(ref _firstSequence);
        if (first < 0)
        {
            first = sequence;
            Volatile.Write(ref _firstSequence, first);
        }

        return Index(AbsoluteSequences ? sequence : sequence - first);
    }

    /// <summary>The index of <paramref name="sequence"/> for a stage that must not set the first one (the output), or -1.</summary>
    public int Find(uint sequence)
    {
        long first = Volatile.Read(ref _firstSequence);
        long index = AbsoluteSequences ? sequence : sequence - first;
        return first < 0 || index < 0 || index >= Capacity ? -1 : (int)index;
    }

    /// <summary>The index for the sender's <paramref name="count"/>-th frame, or -1 when out of range (counted).</summary>
    public int Index(long count)
    {
        if ((ulong)count < (ulong)Capacity)
        {
            return (int)count;
        }

        Interlocked.Increment(ref _overflow);
        return -1;
    }
}

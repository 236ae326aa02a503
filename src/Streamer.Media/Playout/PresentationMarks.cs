namespace Streamer.Media.Playout;

/// <summary>One frame's place in the jitter buffer's byte stream and its stamp.</summary>
internal readonly record struct PresentationMark(long Position, FrameStamp Stamp);

/// <summary>
/// Single-producer single-consumer ring of <see cref="PresentationMark"/>s beside the audio: the receive loop adds one
/// per frame, the output's thread peeks and takes them as it plays past their positions. Full, new marks are not
/// recorded (a frame missing from the playout log; the presentation time still follows from the previous mark).
/// </summary>
internal sealed class PresentationMarks
{
    private readonly PresentationMark[] _entries;
    private long _head;
    private long _tail;

    public PresentationMarks(int capacity)
    {
        _entries = new PresentationMark[capacity];
    }

    /// <summary>Producer: records a mark; false when the ring is full.</summary>
    public bool TryAdd(in PresentationMark mark)
    {
        long tail = _tail;
        if (tail - Volatile.Read(ref _head) >= _entries.Length)
        {
            return false;
        }

        _entries[tail % _entries.Length] = mark;
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    /// <summary>Consumer: the oldest mark, if any, without taking it.</summary>
    public bool TryPeek(out PresentationMark mark)
    {
        long head = _head;
        if (head == Volatile.Read(ref _tail))
        {
            mark = default;
            return false;
        }

        mark = _entries[head % _entries.Length];
        return true;
    }

    /// <summary>Consumer: drops the oldest mark (after a <see cref="TryPeek"/> that returned it).</summary>
    public void Take() => Volatile.Write(ref _head, _head + 1);
}

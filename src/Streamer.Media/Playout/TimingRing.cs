namespace Streamer.Media.Playout;

/// <summary>Single-producer single-consumer ring of <see cref="FrameTiming"/> entries; full means the oldest are not recorded.</summary>
internal sealed class TimingRing
{
    private readonly FrameTiming[] _entries;
    private long _head;
    private long _tail;

    public TimingRing(int capacity)
    {
        _entries = new FrameTiming[capacity];
    }

    public bool TryAdd(in FrameTiming timing)
    {
        long tail = _tail;
        if (tail - Volatile.Read(ref _head) >= _entries.Length)
        {
            return false;
        }

        _entries[tail % _entries.Length] = timing;
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    /// <summary>Removes the oldest entry if it starts before <paramref name="position"/>.</summary>
    public bool TryTakeBefore(long position, out FrameTiming timing)
    {
        long head = _head;
        if (head == Volatile.Read(ref _tail) || _entries[head % _entries.Length].StartPosition >= position)
        {
            timing = default;
            return false;
        }

        timing = _entries[head % _entries.Length];
        Volatile.Write(ref _head, head + 1);
        return true;
    }
}

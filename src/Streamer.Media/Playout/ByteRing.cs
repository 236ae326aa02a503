using System.Buffers;

namespace Streamer.Media.Playout;

/// <summary>
/// Single-producer single-consumer byte ring. Positions are running totals, published with volatile
/// writes, so the audio thread reads without locks.
/// </summary>
internal sealed class ByteRing
{
    private readonly byte[] _buffer;
    private long _writePosition;
    private long _readPosition;

    public ByteRing(int capacity)
    {
        _buffer = GC.AllocateUninitializedArray<byte>(capacity, pinned: true);
    }

    public int Capacity => _buffer.Length;

    public long WritePosition => Volatile.Read(ref _writePosition);

    public long ReadPosition => Volatile.Read(ref _readPosition);

    public int Count => (int)(WritePosition - ReadPosition);

    public int FreeSpace => Capacity - Count;

    /// <summary>Producer: appends all of <paramref name="data"/> or nothing.</summary>
    public bool TryWrite(ReadOnlySpan<byte> data)
    {
        if (data.Length > FreeSpace)
        {
            return false;
        }

        long write = _writePosition;
        CopyIn(data, write);
        Volatile.Write(ref _writePosition, write + data.Length);
        return true;
    }

    /// <summary>Producer: appends all of <paramref name="data"/> (e.g. a payload spanning pipe segments) or nothing.</summary>
    public bool TryWrite(in ReadOnlySequence<byte> data)
    {
        if (data.Length > FreeSpace)
        {
            return false;
        }

        long write = _writePosition;
        foreach (var segment in data)
        {
            CopyIn(segment.Span, write);
            write += segment.Length;
        }

        Volatile.Write(ref _writePosition, write);
        return true;
    }

    /// <summary>Consumer: copies up to <paramref name="destination"/>.Length bytes out; returns how many.</summary>
    public int Read(Span<byte> destination)
    {
        long read = _readPosition;
        int count = (int)Math.Min(destination.Length, WritePosition - read);
        int offset = (int)(read % _buffer.Length);
        int first = Math.Min(count, _buffer.Length - offset);
        _buffer.AsSpan(offset, first).CopyTo(destination);
        _buffer.AsSpan(0, count - first).CopyTo(destination[first..]);
        Volatile.Write(ref _readPosition, read + count);
        return count;
    }

    /// <summary>Consumer: discards up to <paramref name="count"/> bytes; returns how many.</summary>
    public int Skip(int count)
    {
        long read = _readPosition;
        count = (int)Math.Min(count, WritePosition - read);
        Volatile.Write(ref _readPosition, read + count);
        return count;
    }

    private void CopyIn(ReadOnlySpan<byte> data, long write)
    {
        int offset = (int)(write % _buffer.Length);
        int first = Math.Min(data.Length, _buffer.Length - offset);
        data[..first].CopyTo(_buffer.AsSpan(offset));
        data[first..].CopyTo(_buffer);
    }
}

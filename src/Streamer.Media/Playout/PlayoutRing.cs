using System.Buffers;
using Streamer.Protocol.Threading;

namespace Streamer.Media.Playout;

/// <summary>
/// The jitter buffer's storage and back-pressure: a single-producer single-consumer byte ring whose producer (the
/// receive loop) waits for space when it is full, so a faster sender is held back by TCP instead of by memory.
/// Whole frames go in or nothing does. The consumer reads and skips freely and then calls
/// <see cref="SpaceFreed"/> once, after its own bookkeeping, to wake the producer.
/// </summary>
internal sealed class PlayoutRing
{
    private readonly ByteRing _ring;
    // Signalled from the output's thread, which may be an audio callback: the receive loop must not run there.
    private readonly AsyncSignal _spaceAvailable = new(runContinuationsAsynchronously: true);

    public PlayoutRing(int capacity)
    {
        _ring = new ByteRing(capacity);
    }

    public int Capacity => _ring.Capacity;

    public int Count => _ring.Count;

    public int FreeSpace => _ring.FreeSpace;

    /// <summary>Running total of bytes written: where the next frame starts.</summary>
    public long WritePosition => _ring.WritePosition;

    /// <summary>Running total of bytes read or skipped.</summary>
    public long ReadPosition => _ring.ReadPosition;

    /// <summary>Producer: appends one frame; returns its start position, or -1 if it does not fit yet.</summary>
    public long TryWrite(ReadOnlySpan<byte> frame)
    {
        long start = _ring.WritePosition;
        return _ring.TryWrite(frame) ? start : -1;
    }

    /// <summary>Producer: appends one frame that may span several buffers; returns its start position, or -1.</summary>
    public long TryWrite(in ReadOnlySequence<byte> frame)
    {
        long start = _ring.WritePosition;
        return _ring.TryWrite(frame) ? start : -1;
    }

    /// <summary>Producer: waits until at least <paramref name="bytes"/> fit (or throws if they never can).</summary>
    public async ValueTask WaitForSpaceAsync(int bytes, CancellationToken cancellationToken)
    {
        if (bytes > _ring.Capacity)
        {
            throw new InvalidOperationException($"a frame of {bytes} bytes can never fit a jitter buffer of {_ring.Capacity} bytes");
        }

        while (_ring.FreeSpace < bytes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _spaceAvailable.WaitAsync();
        }
    }

    /// <summary>Consumer: copies up to <paramref name="destination"/>.Length bytes out; returns how many.</summary>
    public int Read(Span<byte> destination) => _ring.Read(destination);

    /// <summary>Consumer: discards up to <paramref name="count"/> bytes; returns how many.</summary>
    public int Skip(int count) => _ring.Skip(count);

    /// <summary>Consumer, after reading or skipping: wakes a producer waiting for space.</summary>
    public void SpaceFreed() => _spaceAvailable.Set();
}

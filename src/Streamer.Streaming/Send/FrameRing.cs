using System.Buffers;
using Streamer.Protocol;

namespace Streamer.Streaming.Send;

/// <summary>
/// The recent frames of a broadcast, encoded once, header and all, in a fixed ring of reused buffers: one writer (the
/// broadcast) and any number of readers (the listeners), no lock. Each slot is guarded like a seqlock: the writer marks
/// a slot invalid, rewrites it and publishes its index; a reader copies the bytes out and checks the index again, so a
/// reader the writer lapped mid-copy throws its copy away instead of sending a torn frame. A frame's bytes are the same
/// for every listener, so a listener costs one memory copy per frame and no serialization.
/// </summary>
internal sealed class FrameRing
{
    private readonly Slot[] _slots;
    private readonly SlotWriter _writer = new();
    private long _next;

    public FrameRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _slots = new Slot[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _slots[i] = new Slot();
        }
    }

    public int Capacity => _slots.Length;

    /// <summary>The index the next frame will get: frames 0 .. Next−1 have been published.</summary>
    public long Next => Volatile.Read(ref _next);

    /// <summary>The oldest index still intact (the one after it may be rewritten next).</summary>
    public long Oldest => Math.Max(0, Next - _slots.Length + 1);

    /// <summary>Encodes one audio frame into the next slot and publishes it. Writer only; allocates only to grow a slot.</summary>
    public void Publish(in FrameHeader header, in ReadOnlySequence<byte> payload, long contentSamples)
    {
        long index = _next;
        var slot = _slots[index % _slots.Length];
        // Invalid first (a full fence), so no reader takes the bytes written below for the frame that was there.
        Interlocked.Exchange(ref slot.Index, -1);
        _writer.Reset(slot);
        FrameWriter.Write(_writer, header, payload);
        slot.Length = _writer.Written;
        slot.PayloadLength = (int)payload.Length;
        slot.ContentSamples = contentSamples;
        Volatile.Write(ref slot.Index, index);
        Volatile.Write(ref _next, index + 1);
    }

    /// <summary>
    /// The whole encoded frame published last, read in place. Writer only (on the thread that publishes, between
    /// publishes): no other thread rewrites a slot, so no check is needed, and a broadcast's fan-out sends these bytes
    /// to every listener without copying them.
    /// </summary>
    public ReadOnlySpan<byte> Newest(out int payloadLength, out long contentSamples)
    {
        var slot = _slots[(_next - 1) % _slots.Length];
        payloadLength = slot.PayloadLength;
        contentSamples = slot.ContentSamples;
        return slot.Buffer.AsSpan(0, slot.Length);
    }

    /// <summary>
    /// Copies frame <paramref name="index"/> (its whole encoded frame) into <paramref name="output"/>; false when it is
    /// no longer (or not yet) in the ring, and then nothing was written.
    /// </summary>
    public bool TryCopy(long index, IBufferWriter<byte> output, out int payloadLength, out long contentSamples)
    {
        var slot = _slots[index % _slots.Length];
        payloadLength = 0;
        contentSamples = 0;
        if (Volatile.Read(ref slot.Index) != index)
        {
            return false;
        }

        byte[] buffer = slot.Buffer;
        int length = slot.Length;
        int payload = slot.PayloadLength;
        long samples = slot.ContentSamples;
        if ((uint)length > (uint)buffer.Length)
        {
            return false;
        }

        var target = output.GetSpan(length);
        buffer.AsSpan(0, length).CopyTo(target);
        // The copy must be complete before the index is read again.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref slot.Index) != index)
        {
            // Rewritten while we copied: the copy is discarded by not advancing.
            return false;
        }

        output.Advance(length);
        payloadLength = payload;
        contentSamples = samples;
        return true;
    }

    private sealed class Slot
    {
        public long Index = -1;
        public byte[] Buffer = [];
        public int Length;
        public int PayloadLength;
        public long ContentSamples;
    }

    /// <summary>Writes into one slot's buffer, growing it (only ever while the first frames are written).</summary>
    private sealed class SlotWriter : IBufferWriter<byte>
    {
        private Slot _slot = new();

        public int Written { get; private set; }

        public void Reset(Slot slot)
        {
            _slot = slot;
            Written = 0;
        }

        public void Advance(int count) => Written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _slot.Buffer.AsMemory(Written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _slot.Buffer.AsSpan(Written);
        }

        private void Ensure(int sizeHint)
        {
            int needed = Written + Math.Max(sizeHint, 1);
            if (needed <= _slot.Buffer.Length)
            {
                return;
            }

            // A reader may still be copying the old buffer: it is left to the garbage collector, never reused, and
            // the slot's invalid index makes that reader discard its copy.
            var grown = new byte[Math.Max(needed, Math.Max(256, _slot.Buffer.Length * 2))];
            _slot.Buffer.AsSpan(0, Written).CopyTo(grown);
            _slot.Buffer = grown;
        }
    }
}

using System.Buffers;

namespace Streamer.Streaming.Http;

/// <summary>
/// A reader's reused buffer for copying frames out of a <see cref="Send.FrameRing"/>: it grows to the largest frame
/// seen and is then never reallocated, so a steady stream allocates nothing.
/// </summary>
internal sealed class FrameScratch : IBufferWriter<byte>
{
    private byte[] _buffer;

    public FrameScratch(int initialBytes) => _buffer = new byte[initialBytes];

    public int Written { get; private set; }

    public Span<byte> WrittenSpan => _buffer.AsSpan(0, Written);

    /// <summary>Forgets everything after <paramref name="length"/> bytes (keeps what came before).</summary>
    public void Truncate(int length) => Written = length;

    public void Advance(int count) => Written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(Written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(Written);
    }

    private void Ensure(int sizeHint)
    {
        int needed = Written + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }
    }
}

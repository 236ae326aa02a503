using System.Buffers;
using System.Runtime.CompilerServices;

namespace Streamer.Transport.Tls;

/// <summary>
/// The inner connection's pipes as the one <see cref="Stream"/> an <see cref="System.Net.Security.SslStream"/> needs.
/// It remembers the first bytes the peer sent, so a failed handshake can say what the peer spoke instead of TLS.
/// </summary>
internal sealed class ConnectionStream : Stream
{
    private readonly IConnection _inner;
    private const int RecordHeaderBytes = 5;

    private readonly byte[] _first = new byte[8];
    private int _firstLength;
    private int _recordLeft;

    public ConnectionStream(IConnection inner)
    {
        _inner = inner;
    }

    /// <summary>
    /// While set (by the send pump, around one batch of records), writes are not flushed: the pump flushes once at the
    /// end, so a 64 KiB batch leaves in one socket send instead of one per 16 KiB record. Writes the TLS stack makes on
    /// its own (the handshake, alerts) flush at once.
    /// </summary>
    public bool Batching { get; set; }

    /// <summary>The first bytes received (up to 8).</summary>
    public ReadOnlySpan<byte> FirstBytes => _first.AsSpan(0, _firstLength);

    /// <summary>Bytes have been received at all.</summary>
    public bool ReceivedAny => _firstLength > 0;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Hands the TLS stack one record at a time, never the start of the next: its read buffer is then empty after each
    /// record, where a partial next record would be moved to the buffer's front (a copy of up to 16 KiB per record).
    /// At a record's start, when the stack's buffer cannot hold the whole record (it reads with a smaller first guess),
    /// only the header and one byte go first: the buffer grows by copying those 6 bytes, not the guess's worth.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var input = _inner.Input;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var data = result.Buffer;
            bool ended = result.IsCompleted || result.IsCanceled;
            if (!buffer.IsEmpty && _recordLeft == 0 && data.Length < RecordHeaderBytes && !ended)
            {
                // A record's length is in its 5-byte header: wait for all of it.
                input.AdvanceTo(data.Start, data.End);
                continue;
            }

            if (!data.IsEmpty)
            {
                int count = 0;
                if (!buffer.IsEmpty)
                {
                    bool start = _recordLeft == 0;
                    if (start)
                    {
                        // A peer's last few bytes that are no record are handed out as they are (the stack then fails).
                        _recordLeft = data.Length >= RecordHeaderBytes ? RecordLength(data) : (int)data.Length;
                    }

                    count = (int)Math.Min(Math.Min(data.Length, buffer.Length), _recordLeft);
                    if (start && buffer.Length < _recordLeft)
                    {
                        count = Math.Min(count, RecordHeaderBytes + 1);
                    }

                    data.Slice(0, count).CopyTo(buffer.Span);
                    _recordLeft -= count;
                    Remember(buffer.Span[..count]);
                }

                input.AdvanceTo(data.GetPosition(count));
                return count;
            }

            input.AdvanceTo(data.End);
            if (ended)
            {
                return 0;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Batching)
        {
            _inner.Output.Write(buffer.Span);
            return;
        }

        var flush = await _inner.Output.WriteAsync(buffer, cancellationToken);
        if (flush.IsCompleted)
        {
            throw new IOException("the connection is closed");
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <summary>The whole record's length, header included, from the header at the start of <paramref name="data"/>.</summary>
    private static int RecordLength(in ReadOnlySequence<byte> data)
    {
        Span<byte> header = stackalloc byte[RecordHeaderBytes];
        data.Slice(0, RecordHeaderBytes).CopyTo(header);
        return RecordHeaderBytes + ((header[3] << 8) | header[4]);
    }

    private void Remember(ReadOnlySpan<byte> read)
    {
        if (_firstLength < _first.Length)
        {
            int keep = Math.Min(read.Length, _first.Length - _firstLength);
            read[..keep].CopyTo(_first.AsSpan(_firstLength));
            _firstLength += keep;
        }
    }

    public override void SetLength(long value) => throw new NotSupportedException();
}

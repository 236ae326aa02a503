using System.IO.Pipelines;

namespace Streamer.Transport;

/// <summary>
/// A connection's output as the application sees it: the queue's writer, telling its connection of every byte written
/// (<see cref="IWriteCounter"/>). The connection counts what its send loop has handed on; when the two are equal nothing
/// written is still waiting, so bytes sent straight to the transport (<see cref="IImmediateSend"/>) cannot overtake
/// any. A flag set by the send loop could not say that: a flush can land between the loop's "nothing to read" and its
/// wait. The count lives in the connection, not here, so the check reads one object (a broadcast makes it a thousand
/// times per frame, each object a cache miss: docs/performance.md, "The fan-out").
/// </summary>
internal sealed class CountingPipeWriter : PipeWriter
{
    private readonly PipeWriter _inner;
    private readonly IWriteCounter _counter;

    public CountingPipeWriter(PipeWriter inner, IWriteCounter counter)
    {
        _inner = inner;
        _counter = counter;
    }

    public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _inner.UnflushedBytes;

    public override void Advance(int bytes)
    {
        _inner.Advance(bytes);
        _counter.Written(bytes);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);
}

/// <summary>Where a <see cref="CountingPipeWriter"/> counts: its connection. Called on the writing side, where writes
/// are serialized.</summary>
internal interface IWriteCounter
{
    void Written(int bytes);
}

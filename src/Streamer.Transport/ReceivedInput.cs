using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Streamer.Transport;

/// <summary>
/// The application's view of a connection's input. A pipe whose writer completes with an exception throws it from
/// the next read even when bytes are still buffered, so a peer that sends an error frame and then resets would lose
/// the frame. The receive loop therefore completes the pipe cleanly and records the failure here; this reader hands
/// out every buffered byte first and raises the failure only once the application has looked at all of them.
/// </summary>
internal sealed class ReceivedInput : PipeReader
{
    private readonly PipeReader _inner;
    private Exception? _failure;
    private SequencePosition _lastEnd;
    private bool _examinedAll;

    public ReceivedInput(PipeReader inner)
    {
        _inner = inner;
    }

    /// <summary>Recorded by the receive loop before it completes the pipe, so the reader always sees it with the end.</summary>
    public void Fail(Exception failure) => Volatile.Write(ref _failure, failure);

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var pending = _inner.ReadAsync(cancellationToken);
        return pending.IsCompletedSuccessfully ? new ValueTask<ReadResult>(Check(pending.Result)) : AwaitAsync(pending);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!_inner.TryRead(out result))
        {
            return false;
        }

        result = Check(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _examinedAll = examined.Equals(_lastEnd);
        _inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => _inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> AwaitAsync(ValueTask<ReadResult> pending) => Check(await pending);

    private ReadResult Check(ReadResult result)
    {
        bool wasExamined = _examinedAll;
        _examinedAll = false;
        _lastEnd = result.Buffer.End;
        var failure = Volatile.Read(ref _failure);
        if (!result.IsCompleted || failure is null)
        {
            return result;
        }

        // Nothing left, or only a remainder the application already looked at and could not use (half a frame).
        if (result.Buffer.IsEmpty || wasExamined)
        {
            throw failure;
        }

        // Not "completed" yet: the application must come back for the failure after these bytes.
        return new ReadResult(result.Buffer, result.IsCanceled, isCompleted: false);
    }
}

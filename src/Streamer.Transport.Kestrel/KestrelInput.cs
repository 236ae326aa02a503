using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;
// Inside Streamer.Transport an unqualified ConnectionResetException is Streamer's own: name Kestrel's apart.
using KestrelResetException = Microsoft.AspNetCore.Connections.ConnectionResetException;

namespace Streamer.Transport.Kestrel;

/// <summary>
/// The application's input: Kestrel's, with its endings spoken in Streamer's terms. A peer's reset is raised as
/// Streamer's <see cref="ConnectionResetException"/>; the end of a connection we aborted or closed (Kestrel's
/// <see cref="ConnectionAbortedException"/>) is a plain end of input, as on the socket transport.
/// </summary>
/// <remarks>
/// Unlike the socket transport, Kestrel raises a reset on the next read even when bytes that arrived before it are
/// still buffered, so those bytes are lost. A server loses nothing it needs by that (a peer that resets is gone); a
/// client, which must read an error frame sent just before a reset, keeps the socket transport.
/// </remarks>
internal sealed class KestrelInput : PipeReader
{
    private readonly PipeReader _inner;
    private bool _ended;

    public KestrelInput(PipeReader inner)
    {
        _inner = inner;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_ended)
        {
            return new ValueTask<ReadResult>(Ended());
        }

        ValueTask<ReadResult> pending;
        try
        {
            pending = _inner.ReadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is KestrelResetException or ConnectionAbortedException)
        {
            return new ValueTask<ReadResult>(Translate(ex));
        }

        return pending.IsCompletedSuccessfully ? pending : AwaitAsync(pending);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (_ended)
        {
            result = Ended();
            return true;
        }

        try
        {
            return _inner.TryRead(out result);
        }
        catch (Exception ex) when (ex is KestrelResetException or ConnectionAbortedException)
        {
            result = Translate(ex);
            return true;
        }
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        if (!_ended)
        {
            _inner.AdvanceTo(consumed);
        }
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (!_ended)
        {
            _inner.AdvanceTo(consumed, examined);
        }
    }

    public override void CancelPendingRead() => _inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);

    private static ReadResult Ended() => new(default, isCanceled: false, isCompleted: true);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> AwaitAsync(ValueTask<ReadResult> pending)
    {
        try
        {
            return await pending;
        }
        catch (Exception ex) when (ex is KestrelResetException or ConnectionAbortedException)
        {
            return Translate(ex);
        }
    }

    /// <summary>A reset is thrown as Streamer's; an abort ends the input (and every later read) cleanly.</summary>
    private ReadResult Translate(Exception ex)
    {
        if (ex is KestrelResetException)
        {
            throw new ConnectionResetException(ex.Message, ex);
        }

        _ended = true;
        return Ended();
    }
}

using System.IO.Pipelines;

namespace Streamer.Transport.Kestrel;

/// <summary>
/// The application's output: forwards to Kestrel's, except completion, which only stops further writes (see
/// <see cref="KestrelConnection"/>: completing Kestrel's output would close the socket while input may be unread).
/// Completing with an error does reach Kestrel: that connection is failing anyway.
/// </summary>
internal sealed class KestrelOutput : PipeWriter
{
    private readonly PipeWriter _inner;
    private bool _completed;

    public KestrelOutput(PipeWriter inner)
    {
        _inner = inner;
    }

    public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _inner.UnflushedBytes;

    public override void Advance(int bytes)
    {
        ThrowIfCompleted();
        _inner.Advance(bytes);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        ThrowIfCompleted();
        return _inner.GetMemory(sizeHint);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        ThrowIfCompleted();
        return _inner.GetSpan(sizeHint);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        return _inner.WriteAsync(source, cancellationToken);
    }

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        if (exception is not null)
        {
            _inner.Complete(exception);
        }

        _completed = true;
    }

    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (exception is not null)
        {
            await _inner.CompleteAsync(exception);
            return;
        }

        // A pipe's completion commits what was written and not flushed; here the flush does it.
        await _inner.FlushAsync();
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("Writing is not allowed after the output was completed.");
        }
    }
}

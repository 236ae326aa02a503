namespace Streamer.Protocol.Threading;

/// <summary>
/// A mutual-exclusion gate for async code whose uncontended enter and exit are one interlocked instruction each, with
/// its state inside the owner's object. <see cref="SemaphoreSlim"/> takes a monitor lock (in a second object) on both,
/// which a broadcast paid twice per listener per frame. Waiters (only under contention) queue in order and are handed
/// the gate directly; a cancelled waiter gives up its place.
/// </summary>
internal sealed class AsyncGate
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private int _held;
    private int _waiting;

    /// <summary>Takes the gate if it is free; never waits.</summary>
    public bool TryEnter() => Interlocked.CompareExchange(ref _held, 1, 0) == 0;

    /// <summary>Takes the gate, waiting in line while another holds it.</summary>
    public ValueTask EnterAsync(CancellationToken cancellationToken = default)
        => TryEnter() ? ValueTask.CompletedTask : new ValueTask(WaitAsync(cancellationToken));

    /// <summary>Gives the gate up: to the first waiter still waiting, else free.</summary>
    public void Exit()
    {
        if (Volatile.Read(ref _waiting) == 0)
        {
            Interlocked.Exchange(ref _held, 0);
            // A waiter may have queued between the read above and the release: it re-checks the gate after queueing,
            // and we re-check the queue after releasing, so one of the two always sees the other.
            if (Volatile.Read(ref _waiting) == 0 || !TryEnter())
            {
                return;
            }
        }

        lock (_lock)
        {
            while (_waiters.TryDequeue(out var next))
            {
                Interlocked.Decrement(ref _waiting);
                if (next.TrySetResult())
                {
                    // Handed over: the gate stays held, by the waiter now.
                    return;
                }
            }

            Interlocked.Exchange(ref _held, 0);
        }
    }

    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (TryEnter())
            {
                return;
            }

            _waiters.Enqueue(waiter);
            Interlocked.Increment(ref _waiting);
        }

        // The holder may have released between our failed try and our queueing without seeing us: try again.
        if (TryEnter() && !waiter.TrySetResult())
        {
            // Cancelled meanwhile: the gate we just took is not ours to keep.
            Exit();
        }

        using (cancellationToken.UnsafeRegister(static (s, token) => ((TaskCompletionSource)s!).TrySetCanceled(token), waiter))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }
}

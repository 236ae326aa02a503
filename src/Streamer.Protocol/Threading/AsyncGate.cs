namespace Streamer.Protocol.Threading;

/// <summary>
/// A mutual-exclusion gate for async code whose uncontended enter and exit are one interlocked instruction each on a
/// flag inside the owner's object: a struct, held in a (non-readonly) field and never copied, so a broadcast's fan-out
/// touches no second object per listener to take it (at a thousand listeners each object is a cache miss, measured in
/// docs/performance.md, "The fan-out"). <see cref="SemaphoreSlim"/> takes a monitor lock in a second object on both.
/// Waiters (only under contention) queue in order in <see cref="GateWaiters"/> and are handed the gate directly; a
/// cancelled waiter gives up its place. Make one with <see cref="Create"/>: <c>default</c> has no queue.
/// </summary>
internal struct AsyncGate
{
    private readonly GateWaiters _waiters;
    private int _held;
    private int _waiting;

    private AsyncGate(GateWaiters waiters)
    {
        _waiters = waiters;
    }

    public static AsyncGate Create() => new(new GateWaiters());

    /// <summary>Takes the gate if it is free; never waits.</summary>
    public bool TryEnter() => Interlocked.CompareExchange(ref _held, 1, 0) == 0;

    /// <summary>Takes the gate, waiting in line while another holds it.</summary>
    public ValueTask EnterAsync(CancellationToken cancellationToken = default)
        => TryEnter() ? ValueTask.CompletedTask : new ValueTask(Queue(cancellationToken));

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

        var waiters = _waiters;
        lock (waiters.Lock)
        {
            while (waiters.Queue.TryDequeue(out var next))
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

    /// <summary>Queues a waiter (synchronously: the flag is in this struct, which an async method cannot hold).</summary>
    private Task Queue(CancellationToken cancellationToken)
    {
        var waiters = _waiters;
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (waiters.Lock)
        {
            if (TryEnter())
            {
                return Task.CompletedTask;
            }

            waiters.Queue.Enqueue(waiter);
            Interlocked.Increment(ref _waiting);
        }

        // The holder may have released between our failed try and our queueing without seeing us: try again.
        if (TryEnter() && !waiter.TrySetResult())
        {
            // Completed meanwhile: the gate we just took is not ours to keep.
            Exit();
        }

        return GateWaiters.WaitAsync(waiter, cancellationToken);
    }
}

/// <summary>An <see cref="AsyncGate"/>'s line of waiters: touched only when the gate is contended.</summary>
internal sealed class GateWaiters
{
    public readonly Lock Lock = new();
    public readonly Queue<TaskCompletionSource> Queue = new();

    public static async Task WaitAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(static (s, token) => ((TaskCompletionSource)s!).TrySetCanceled(token), waiter))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }
}

using System.Threading.Tasks.Sources;

namespace Streamer.Protocol.Threading;

/// <summary>
/// An auto-reset signal for one waiter that allocates nothing per wait: a producer calls <see cref="Set"/>,
/// the consumer awaits <see cref="WaitAsync"/>. A Set with no waiter is remembered until the next wait.
/// </summary>
public sealed class AsyncSignal : IValueTaskSource
{
    private const int Idle = 0;
    private const int Waiting = 1;
    private const int Signaled = 2;

    private ManualResetValueTaskSourceCore<bool> _core;
    private int _state;

    /// <param name="runContinuationsAsynchronously">
    /// False runs the waiter inside <see cref="Set"/> on the setter's thread: no thread hop per signal, but only
    /// safe when the setter can afford to run the waiter's work (never set such a signal from an audio callback).
    /// </param>
    public AsyncSignal(bool runContinuationsAsynchronously = true)
    {
        _core.RunContinuationsAsynchronously = runContinuationsAsynchronously;
    }

    /// <summary>Completes at the next <see cref="Set"/>, or at once if one came since the last wait. One waiter at a time.</summary>
    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signaled) == Signaled)
        {
            return ValueTask.CompletedTask;
        }

        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Idle)
        {
            return new ValueTask(this, _core.Version);
        }

        // Set() ran between the two exchanges.
        Interlocked.Exchange(ref _state, Idle);
        return ValueTask.CompletedTask;
    }

    /// <summary>Wakes the waiter, or lets the next wait complete at once.</summary>
    public void Set()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state == Signaled)
            {
                return;
            }

            if (state == Waiting)
            {
                if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
                {
                    _core.SetResult(true);
                    return;
                }
            }
            else if (Interlocked.CompareExchange(ref _state, Signaled, Idle) == Idle)
            {
                return;
            }
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}

using System.Threading.Tasks.Sources;

namespace Streamer.Bench.Proxy;

/// <summary>
/// An awaitable delay on a <see cref="TimeProvider"/> that allocates nothing per wait: one timer, re-armed, and one
/// reusable value-task source. Task.Delay would allocate a task and a timer for every chunk. One waiter at a time.
/// </summary>
internal sealed class ReusableDelay : IValueTaskSource, IDisposable
{
    private readonly ITimer timer;
    private ManualResetValueTaskSourceCore<bool> core = new() { RunContinuationsAsynchronously = true };
    private int pending;

    public ReusableDelay(TimeProvider time)
    {
        timer = time.CreateTimer(static state => ((ReusableDelay)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Completes after <paramref name="delay"/> on the time provider, or at once when <see cref="Cancel"/> is called.</summary>
    public ValueTask WaitAsync(TimeSpan delay)
    {
        core.Reset();
        Volatile.Write(ref pending, 1);
        timer.Change(delay, Timeout.InfiniteTimeSpan);
        return new ValueTask(this, core.Version);
    }

    /// <summary>Ends the current wait now (the connection is closing); the waiter sees it complete normally.</summary>
    public void Cancel() => Fire();

    public void Dispose()
    {
        timer.Dispose();
        Fire();
    }

    void IValueTaskSource.GetResult(short token) => core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => core.OnCompleted(continuation, state, token, flags);

    private void Fire()
    {
        if (Interlocked.Exchange(ref pending, 0) == 1)
        {
            core.SetResult(true);
        }
    }
}

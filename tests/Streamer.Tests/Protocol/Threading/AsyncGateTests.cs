using Streamer.Protocol.Threading;

namespace Streamer.Tests.Protocol.Threading;

public sealed class AsyncGateTests
{
    [Fact]
    public async Task Never_two_inside_under_contention_and_nobody_is_left_waiting()
    {
        var gate = AsyncGate.Create();
        int inside = 0, most = 0, count = 0;
        async Task WorkAsync()
        {
            for (int i = 0; i < 2000; i++)
            {
                if (i % 3 == 0 && gate.TryEnter())
                {
                    // The fan-out's way in: no wait at all.
                }
                else
                {
                    await gate.EnterAsync();
                }

                int now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                int seen = count;
                if (i % 7 == 0)
                {
                    await Task.Yield();
                }

                count = seen + 1;
                Interlocked.Decrement(ref inside);
                gate.Exit();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(WorkAsync))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, most);
        Assert.Equal(8 * 2000, count);
        Assert.True(gate.TryEnter(), "the gate was left held");
    }

    [Fact]
    public async Task Waiters_get_the_gate_in_order()
    {
        var gate = AsyncGate.Create();
        Assert.True(gate.TryEnter());
        var order = new List<int>();
        var waiting = Enumerable.Range(0, 5).Select(async i =>
        {
            await gate.EnterAsync();
            lock (order)
            {
                order.Add(i);
            }

            gate.Exit();
        }).ToArray();

        Assert.False(gate.TryEnter());
        gate.Exit();
        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([0, 1, 2, 3, 4], order);
    }

    [Fact]
    public async Task A_cancelled_waiter_gives_up_its_place_and_the_next_one_gets_the_gate()
    {
        var gate = AsyncGate.Create();
        Assert.True(gate.TryEnter());
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.EnterAsync(cancel.Token).AsTask();
        var next = gate.EnterAsync().AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(next.IsCompleted);

        gate.Exit();
        await next.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(gate.TryEnter());
        gate.Exit();
        Assert.True(gate.TryEnter());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

using Streamer.Protocol.Threading;
using Streamer.Streaming.Send;

namespace Streamer.Tests.Streaming.Send;

/// <summary>
/// The pacing clock driven turn by turn on the test thread, in simulated time (1 tick = 1 µs): no thread, no sleeping,
/// nothing measured.
/// </summary>
public sealed class PacingClockTests
{
    private const long Frequency = 1_000_000;

    [Fact]
    public void Ticks_fall_on_the_period_from_the_start_and_wake_every_subscriber()
    {
        var time = new FakeTime();
        using var clock = time.CreateClock();
        var a = new AsyncSignal();
        var b = new AsyncSignal();
        clock.Subscribe(a, TimeSpan.FromMilliseconds(10));
        clock.Subscribe(b, TimeSpan.FromMilliseconds(10));

        long next = 1000;
        for (int i = 0; i < 5; i++)
        {
            next = clock.Tick(next);
            Assert.Equal(1000 + (i * 10_000), clock.LastTick);
            Assert.True(a.WaitAsync().IsCompleted, "every subscriber is woken on every tick");
            Assert.True(b.WaitAsync().IsCompleted);
        }

        Assert.Equal([1000, 11_000, 21_000, 31_000, 41_000], time.SleptUntil);
    }

    [Fact]
    public void Late_wake_ups_do_not_drift_the_ticks()
    {
        // Every sleep overshoots by 3 ms: the ticks stay on the grid computed from the start.
        var time = new FakeTime { Overshoot = 3000 };
        using var clock = time.CreateClock();
        clock.Subscribe(new AsyncSignal(), TimeSpan.FromMilliseconds(20));

        long next = 0;
        for (int i = 0; i < 50; i++)
        {
            next = clock.Tick(next);
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 20_000L), time.SleptUntil);
    }

    [Fact]
    public void After_a_long_stall_it_resumes_from_now_instead_of_a_burst_of_stale_ticks()
    {
        var time = new FakeTime();
        using var clock = time.CreateClock();
        clock.Subscribe(new AsyncSignal(), TimeSpan.FromMilliseconds(10));

        long next = clock.Tick(0);
        Assert.Equal(10_000, next);
        time.Now = 1_000_000; // suspended for a second: 100 periods
        next = clock.Tick(next);
        Assert.Equal(1_000_000, next);

        // A short delay (under ten periods) is caught up tick by tick instead.
        time.Now = 1_050_000;
        Assert.Equal(1_010_000, clock.Tick(next));
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(5, 5)]
    [InlineData(60, 20)]
    [InlineData(1, 2.5)]
    public void The_period_is_the_subscribers_frame_duration_within_bounds(double frameMs, double expectedMs)
    {
        var time = new FakeTime();
        using var clock = time.CreateClock();
        clock.Subscribe(new AsyncSignal(), TimeSpan.FromMilliseconds(frameMs));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), clock.Period);
        long next = clock.Tick(0);
        Assert.Equal((long)(expectedMs * 1000), next);
    }

    [Fact]
    public void The_shortest_subscriber_sets_the_period_until_it_leaves()
    {
        var time = new FakeTime();
        using var clock = time.CreateClock();
        var slow = new AsyncSignal();
        var fast = new AsyncSignal();
        clock.Subscribe(slow, TimeSpan.FromMilliseconds(20));
        clock.Subscribe(fast, TimeSpan.FromMilliseconds(5));
        Assert.Equal(TimeSpan.FromMilliseconds(5), clock.Period);

        clock.Unsubscribe(fast);
        Assert.Equal(TimeSpan.FromMilliseconds(20), clock.Period);
        clock.Tick(0);
        Assert.False(fast.WaitAsync().IsCompleted, "an unsubscribed signal is not woken");
        Assert.True(slow.WaitAsync().IsCompleted);
    }

    [Fact]
    public void Subscribing_again_changes_a_signals_frame_duration()
    {
        var time = new FakeTime();
        using var clock = time.CreateClock();
        var signal = new AsyncSignal();
        clock.Subscribe(signal, PacingClock.MaxPeriod);
        clock.Subscribe(signal, TimeSpan.FromMilliseconds(5));

        Assert.Equal(TimeSpan.FromMilliseconds(5), clock.Period);
        clock.Unsubscribe(signal);
        Assert.Equal(PacingClock.MaxPeriod, clock.Period);
    }

    [Fact]
    public async Task With_no_subscriber_the_first_tick_after_one_comes_starts_from_now()
    {
        var time = new FakeTime { Now = 500_000 };
        using var clock = time.CreateClock();
        var signal = new AsyncSignal();
        clock.Subscribe(signal, TimeSpan.FromMilliseconds(10));
        clock.Unsubscribe(signal);
        var ticking = Task.Run(() => clock.Tick(0));
        await Task.Delay(50);
        Assert.False(ticking.IsCompleted, "an idle clock waits for a subscriber instead of ticking");

        time.Now = 700_000;
        clock.Subscribe(signal, TimeSpan.FromMilliseconds(10));
        long next = await ticking.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(700_000, clock.LastTick);
        Assert.Equal(710_000, next);
    }

    private sealed class FakeTime
    {
        public long Now { get; set; }

        public long Overshoot { get; init; }

        public List<long> SleptUntil { get; } = [];

        public PacingClock CreateClock() => new(() => Now, SleepUntil, Frequency, startThread: false);

        private void SleepUntil(long timestamp)
        {
            SleptUntil.Add(timestamp);
            Now = Math.Max(Now, timestamp + Overshoot);
        }
    }
}

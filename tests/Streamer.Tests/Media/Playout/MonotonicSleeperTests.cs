using System.Diagnostics;
using Streamer.Media.Playout;
using Streamer.Tests.Support;

namespace Streamer.Tests.Media.Playout;

public sealed class MonotonicSleeperTests
{
    [LinuxFact("clock_nanosleep and CLOCK_MONOTONIC are what the precise path uses")]
    public void Linux_sleeps_go_straight_to_clock_nanosleep()
    {
        // The probe compares the Stopwatch with CLOCK_MONOTONIC: if the runtime ever changes its clock, this says so.
        Assert.True(IntPtr.Size == 8, "the precise path needs 64-bit time_t; Streamer ships for 64-bit Linux only");
        Assert.True(MonotonicSleeper.IsPrecise, "on 64-bit Linux sleeps should use clock_nanosleep: the Stopwatch no longer reads CLOCK_MONOTONIC in ns");
    }

    [Fact]
    public void The_precise_path_is_taken_only_on_linux()
    {
        // Elsewhere the probe must not claim a libc clock it cannot call.
        Assert.True(OperatingSystem.IsLinux() || !MonotonicSleeper.IsPrecise);
    }

    [Fact]
    public void Never_wakes_before_the_deadline()
    {
        // Pacing depends on it: a tick that fires early sends frames before they fall due.
        AssertNeverEarly(MonotonicSleeper.SleepUntil);
    }

    [Fact]
    public void The_thread_sleep_fallback_never_wakes_before_the_deadline_either()
    {
        // The path every OS but Linux takes, run here on every OS.
        AssertNeverEarly(MonotonicSleeper.SleepCoarse);
    }

    private static void AssertNeverEarly(Action<long> sleepUntil)
    {
        for (int i = 0; i < 50; i++)
        {
            long deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * (i % 5) / 1000) + (i % 7 * Stopwatch.Frequency / 10_000);
            sleepUntil(deadline);
            Assert.True(Stopwatch.GetTimestamp() >= deadline, $"woke {deadline - Stopwatch.GetTimestamp()} ticks early");
        }
    }
}

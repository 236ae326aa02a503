using System.Diagnostics;
using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Playout;

public sealed class MonotonicSleeperTests
{
    [Fact]
    public void Linux_sleeps_go_straight_to_clock_nanosleep()
    {
        // The probe compares the Stopwatch with CLOCK_MONOTONIC: if the runtime ever changes its clock, this says so.
        Assert.True(MonotonicSleeper.IsPrecise || !OperatingSystem.IsLinux() || IntPtr.Size != 8);
    }

    [Fact]
    public void Never_wakes_before_the_deadline()
    {
        // Pacing depends on it: a tick that fires early sends frames before they fall due.
        for (int i = 0; i < 50; i++)
        {
            long deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * (i % 5) / 1000);
            MonotonicSleeper.SleepUntil(deadline);
            Assert.True(Stopwatch.GetTimestamp() >= deadline, $"woke {deadline - Stopwatch.GetTimestamp()} ticks early");
        }
    }
}

using Streamer.Cli;

namespace Streamer.Tests.Cli;

/// <summary>The housekeeping's schedule on counters the test gives it: passes while busy and just after, none when quiet.</summary>
public class HousekeepingScheduleTests
{
    [Fact]
    public void A_quiet_process_gets_no_pass()
    {
        var schedule = new HousekeepingSchedule(compiledMethods: 500, allocatedBytes: 10_000_000);
        for (int look = 0; look < 10; look++)
        {
            Assert.False(schedule.ShouldPass(500, 10_000_000 + (look * 1000)));
        }
    }

    [Fact]
    public void Jit_work_gets_a_pass_then_the_two_the_runtime_needs_then_none()
    {
        var schedule = new HousekeepingSchedule(500, 0);
        Assert.True(schedule.ShouldPass(530, 0));  // the JIT compiled 30 methods
        Assert.True(schedule.ShouldPass(530, 0));  // cached blocks moved aside
        Assert.True(schedule.ShouldPass(530, 0));  // freed, then trimmed
        Assert.False(schedule.ShouldPass(530, 0));
        Assert.False(schedule.ShouldPass(530, 0));
    }

    [Fact]
    public void Allocation_counts_as_busy_only_from_the_threshold()
    {
        var schedule = new HousekeepingSchedule(0, 0);
        Assert.False(schedule.ShouldPass(0, HousekeepingSchedule.BusyAllocatedBytes - 1));
        Assert.True(schedule.ShouldPass(0, (2 * HousekeepingSchedule.BusyAllocatedBytes) - 1));
    }

    [Fact]
    public void Being_busy_again_restarts_the_passes_after()
    {
        var schedule = new HousekeepingSchedule(0, 0);
        Assert.True(schedule.ShouldPass(1, 0));
        Assert.True(schedule.ShouldPass(1, 0));
        Assert.True(schedule.ShouldPass(2, 0));    // busy again before the second quiet pass
        Assert.True(schedule.ShouldPass(2, 0));
        Assert.True(schedule.ShouldPass(2, 0));
        Assert.False(schedule.ShouldPass(2, 0));
    }
}

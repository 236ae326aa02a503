using System.Diagnostics;
using Streamer.Protocol.Hosting;
using Streamer.Tests.Support;

namespace Streamer.Tests.Protocol.Hosting;

/// <summary>The descriptor reserve, over a simulated limit, count and clock.</summary>
public class DescriptorBudgetTests
{
    private long _limit = 1000;
    private int _open = 100;
    private int _counts;
    private long _now = 1;

    private DescriptorBudget Create(int reserve) => new(reserve, () => _limit, _ => { _counts++; return _open; }, () => _now);

    [Fact]
    public void Refuses_once_one_more_would_eat_into_the_reserve()
    {
        var budget = Create(32);
        _open = 1000 - 33;
        Assert.True(budget.HasRoom(0));
        _open = 1000 - 32;
        _now += Stopwatch.Frequency * 2;
        Assert.False(budget.HasRoom(0));
        Assert.Equal((968, 1000L, 32), budget.Last);
    }

    [Fact]
    public void Connections_in_their_hello_count_as_promised_descriptors()
    {
        var budget = Create(32);
        _open = 900;
        Assert.True(budget.HasRoom(60));
        Assert.False(budget.HasRoom(68));
    }

    [Fact]
    public void A_small_limit_keeps_a_tenth_in_reserve()
    {
        var budget = Create(32);
        _limit = 150;
        _open = 130;
        Assert.True(budget.HasRoom(0));
        _open = 135;
        Assert.False(budget.HasRoom(0));
        Assert.Equal(15, budget.Last.Reserve);
    }

    [Fact]
    public void A_limit_lowered_while_running_takes_effect_at_the_next_check()
    {
        var budget = Create(32);
        Assert.True(budget.HasRoom(0));
        _limit = 110;
        Assert.False(budget.HasRoom(0));
    }

    [Fact]
    public void Far_from_the_edge_a_recent_count_plus_the_accepts_since_is_trusted()
    {
        var budget = Create(32);
        Assert.True(budget.HasRoom(0));
        Assert.Equal(1, _counts);
        for (int i = 0; i < 100; i++)
        {
            budget.Accepted();
            Assert.True(budget.HasRoom(0));
        }

        Assert.Equal(1, _counts);
        _now += Stopwatch.Frequency * 2;
        Assert.True(budget.HasRoom(0));
        Assert.Equal(2, _counts);
    }

    [Fact]
    public void Near_the_edge_every_check_counts_again()
    {
        var budget = Create(32);
        _open = 1000 - 60;
        Assert.True(budget.HasRoom(0));
        Assert.True(budget.HasRoom(0));
        Assert.Equal(2, _counts);
    }

    [Fact]
    public void No_limit_or_no_reserve_always_has_room()
    {
        _open = 1000;
        Assert.True(Create(0).HasRoom(0));
        _limit = 0;
        Assert.True(Create(32).HasRoom(0));
    }

    [LinuxFact("reads /proc/self/fd and getrlimit")]
    public void This_process_reads_its_real_limit_and_count()
    {
        var budget = DescriptorBudget.ForThisProcess(32);
        Assert.True(budget.HasRoom(0));
        Assert.InRange(budget.Last.Open, 3, Directory.GetFiles("/proc/self/fd").Length + 16);
        Assert.True(budget.Last.Limit > budget.Last.Open);
    }
}

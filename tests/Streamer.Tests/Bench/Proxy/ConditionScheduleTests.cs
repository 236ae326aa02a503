using Streamer.Bench.Proxy;

namespace Streamer.Tests.Bench.Proxy;

/// <summary>The proxy's schedule as a pure function: no clock, no sockets, exact times.</summary>
public class ConditionScheduleTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void A_fixed_delay_releases_each_chunk_exactly_that_much_later()
    {
        var schedule = new ConditionSchedule(new NetworkConditions { Delay = Ms(40) }, seed: 1);

        Assert.Equal(Ms(40), schedule.Release(TimeSpan.Zero, 100));
        Assert.Equal(Ms(60), schedule.Release(Ms(20), 100));
        Assert.Equal(Ms(1040), schedule.Release(Ms(1000), 5000));
    }

    [Theory]
    [InlineData(JitterDistribution.Uniform)]
    [InlineData(JitterDistribution.Normal)]
    [InlineData(JitterDistribution.Pareto)]
    public void Jitter_has_the_stated_mean_and_never_reorders(JitterDistribution distribution)
    {
        var conditions = new NetworkConditions { Delay = Ms(40), Jitter = Ms(15), JitterDistribution = distribution, Seed = 7 };
        var draws = new ConditionSchedule(conditions, seed: 7);
        double sum = 0;
        const int Samples = 20_000;
        for (int i = 0; i < Samples; i++)
        {
            var extra = draws.NextJitter();
            Assert.True(extra >= TimeSpan.Zero);
            sum += extra.TotalMilliseconds;
        }

        // Mean of the draws is the jitter (15 ms) within 5 %: the standard error over 20 000 draws is well under 1 %.
        Assert.InRange(sum / Samples, 15 * 0.95, 15 * 1.05);

        var schedule = new ConditionSchedule(conditions, seed: 7);
        var previous = TimeSpan.Zero;
        for (int i = 0; i < 5000; i++)
        {
            var arrival = Ms(i);
            var release = schedule.Release(arrival, 200);
            Assert.True(release >= previous, $"chunk {i} released at {release} before the previous one at {previous}");
            Assert.True(release >= arrival + Ms(40));
            previous = release;
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_schedule()
    {
        var conditions = new NetworkConditions { Jitter = Ms(10), JitterDistribution = JitterDistribution.Pareto };
        var a = new ConditionSchedule(conditions, seed: 3);
        var b = new ConditionSchedule(conditions, seed: 3);
        var c = new ConditionSchedule(conditions, seed: 4);
        bool differs = false;
        for (int i = 0; i < 100; i++)
        {
            var x = a.Release(Ms(i * 20), 100);
            Assert.Equal(x, b.Release(Ms(i * 20), 100));
            differs |= x != c.Release(Ms(i * 20), 100);
        }

        Assert.True(differs);
    }

    [Fact]
    public void A_rate_limit_adds_serialization_and_queues_a_faster_sender()
    {
        // 1250 bytes at 1 Mbit/s: 10 ms on the wire.
        var schedule = new ConditionSchedule(new NetworkConditions { RateBitsPerSecond = 1_000_000, Delay = Ms(5) }, seed: 1);

        Assert.Equal(Ms(15), schedule.Release(TimeSpan.Zero, 1250));
        Assert.Equal(Ms(25), schedule.Release(TimeSpan.Zero, 1250));
        Assert.Equal(Ms(35), schedule.Release(Ms(1), 1250));
        Assert.Equal(Ms(115), schedule.Release(Ms(100), 1250));
    }

    [Fact]
    public void A_stall_holds_everything_in_it_and_releases_it_in_one_burst()
    {
        var schedule = new ConditionSchedule(new NetworkConditions { StallEvery = TimeSpan.FromSeconds(10), Stall = Ms(300) }, seed: 1);

        Assert.Equal(Ms(9_999), schedule.Release(Ms(9_999), 10));
        Assert.Equal(Ms(10_300), schedule.Release(Ms(10_000), 10));
        Assert.Equal(Ms(10_300), schedule.Release(Ms(10_150), 10));
        Assert.Equal(Ms(10_300), schedule.Release(Ms(10_299), 10));
        Assert.Equal(Ms(10_300), schedule.Release(Ms(10_300), 10));
        Assert.Equal(Ms(10_301), schedule.Release(Ms(10_301), 10));
        Assert.Equal(Ms(20_300), schedule.Release(Ms(20_000), 10));
    }

    [Fact]
    public void Corruption_flips_every_nth_byte_across_chunk_boundaries()
    {
        byte[] stream = new byte[1000];
        // Chunks of uneven sizes, as reads return them.
        int offset = 0;
        foreach (int size in new[] { 7, 93, 1, 299, 600 })
        {
            ByteCorrupter.Apply(stream.AsSpan(offset, size), offset, 100);
            offset += size;
        }

        for (int i = 0; i < stream.Length; i++)
        {
            Assert.Equal((i + 1) % 100 == 0 ? 0xFF : 0, stream[i]);
        }
    }

    [Fact]
    public void Every_profile_is_defined_and_states_its_numbers()
    {
        foreach (string name in ConditionProfiles.Names)
        {
            Assert.True(ConditionProfiles.TryGet(name, out var conditions), name);
            Assert.Equal(name == "clean", conditions.IsClean);
        }

        Assert.True(ConditionProfiles.TryGet("4G", out var lte));
        Assert.Equal("delay 30 ms, jitter 12 ms normal (seed 1), rate 10 Mbit/s, stall 250 ms every 8 s", lte.Describe());
        Assert.False(ConditionProfiles.TryGet("lte", out _));
    }
}

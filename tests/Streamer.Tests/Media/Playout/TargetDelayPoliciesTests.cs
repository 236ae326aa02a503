using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Playout;

public sealed class TargetDelayPoliciesTests
{
    private static readonly TargetDelayBounds Bounds = new(25, 300);

    [Fact]
    public void Fixed_with_a_target_makes_a_fixed_policy()
    {
        var policy = TargetDelayPolicies.Create("fixed:40.5", Bounds);

        Assert.IsType<FixedTargetDelay>(policy);
        Assert.Equal(40.5, policy.TargetMilliseconds);
        Assert.Equal("fixed", TargetDelayPolicies.BaseName("fixed:40.5"));
    }

    [Fact]
    public void Adaptive_takes_the_bounds()
    {
        var policy = TargetDelayPolicies.Create("adaptive", Bounds);

        Assert.IsType<AdaptiveTargetDelay>(policy);
        Assert.Equal(25, policy.MinimumMilliseconds);
        Assert.Equal(300, policy.MaximumMilliseconds);
        Assert.Equal("adaptive", TargetDelayPolicies.BaseName("ADAPTIVE"));
    }

    [Fact]
    public void Adaptive_with_a_percentile_follows_that_percentile_alone()
    {
        var policy = TargetDelayPolicies.Create("adaptive:p99", Bounds);

        Assert.Equal(0.99, Assert.IsType<AdaptiveTargetDelay>(policy).Percentile);
        Assert.Equal((25.0, 300.0), (policy.MinimumMilliseconds, policy.MaximumMilliseconds));
        Assert.Equal("adaptive", TargetDelayPolicies.BaseName("adaptive:p99"));

        // 20 ms frames, one in ten 30 ms late: p99 covers the late ones (target ≈ 30 + 10 + 2 ms), p50 does not.
        var p50 = TargetDelayPolicies.Create("adaptive:p50", new TargetDelayBounds(0, 300));
        var p99 = TargetDelayPolicies.Create("adaptive:p99", new TargetDelayBounds(0, 300));
        for (int i = 0; i < 500; i++)
        {
            long media = i * 20_000L;
            var arrival = new FrameArrival(media + (i % 10 == 0 ? 30_000 : 0), media, 20, 0);
            p50.Observe(arrival);
            p99.Observe(arrival);
        }

        Assert.InRange(p99.TargetMilliseconds, 40, 44);
        Assert.InRange(p50.TargetMilliseconds, 10, 14);
    }

    [Fact]
    public void The_fixed_name_round_trips_any_target()
    {
        Assert.Equal("fixed:0.1", TargetDelayPolicies.Fixed(0.1));
        Assert.Equal(0.1, TargetDelayPolicies.Create(TargetDelayPolicies.Fixed(0.1), Bounds).TargetMilliseconds);
    }

    [Theory]
    [InlineData("", "unknown jitter strategy '' (known: fixed:MS, adaptive[:pNN])")]
    [InlineData("nope", "unknown jitter strategy 'nope' (known: fixed:MS, adaptive[:pNN])")]
    [InlineData("nope:3", "unknown jitter strategy 'nope:3' (known: fixed:MS, adaptive[:pNN])")]
    [InlineData("fixed", "jitter strategy 'fixed' needs an argument (say 'fixed:MS')")]
    [InlineData("fixed:", "jitter strategy 'fixed:': the target must be a number of ms from 0 to 10000")]
    [InlineData("fixed:abc", "jitter strategy 'fixed:abc': the target must be a number of ms from 0 to 10000")]
    [InlineData("fixed:-1", "jitter strategy 'fixed:-1': the target must be a number of ms from 0 to 10000")]
    [InlineData("fixed:NaN", "jitter strategy 'fixed:NaN': the target must be a number of ms from 0 to 10000")]
    [InlineData("adaptive:99", "jitter strategy 'adaptive:99': the argument must be a percentile pNN from p1 to p99.9 (say 'adaptive:p99')")]
    [InlineData("adaptive:p100", "jitter strategy 'adaptive:p100': the argument must be a percentile pNN from p1 to p99.9 (say 'adaptive:p99')")]
    public void A_bad_name_is_one_clear_argument_error(string name, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => TargetDelayPolicies.Create(name, Bounds));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Every_registered_strategy_has_a_distinct_name_and_a_description()
    {
        var names = TargetDelayPolicies.Strategies.Select(s => s.Name.ToUpperInvariant()).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(TargetDelayPolicies.Strategies, s => Assert.False(string.IsNullOrWhiteSpace(s.Description)));
    }

    [Fact]
    public void Options_report_the_smallest_and_largest_target_of_their_strategy()
    {
        var adaptive = new JitterBufferOptions { MinMilliseconds = 15, MaxMilliseconds = 250 };
        var fixedTarget = new JitterBufferOptions { Strategy = "fixed:60" };

        Assert.Equal((15.0, 250.0), (adaptive.SmallestTargetMilliseconds, adaptive.LargestTargetMilliseconds));
        Assert.Equal((60.0, 60.0), (fixedTarget.SmallestTargetMilliseconds, fixedTarget.LargestTargetMilliseconds));
    }
}

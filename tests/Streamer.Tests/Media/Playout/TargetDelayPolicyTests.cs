using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Playout;

/// <summary>The target-delay policies on synthetic arrivals: 20 ms frames, 10 ms device blocks, no buffer involved.</summary>
public sealed class TargetDelayPolicyTests
{
    private const long FrameUs = 20_000;

    [Fact]
    public void Fixed_answers_its_target_whatever_arrives()
    {
        var policy = new FixedTargetDelay(60);

        Feed(policy, 0, 50, lateBy: n => n % 7 == 0 ? 150_000 : 0);

        Assert.Equal(60, policy.TargetMilliseconds);
        Assert.Equal(60, policy.MinimumMilliseconds);
        Assert.Equal(60, policy.MaximumMilliseconds);
        Assert.Equal(0, policy.JitterMilliseconds);
    }

    [Fact]
    public void Adaptive_starts_at_its_minimum_and_on_a_steady_stream_holds_half_a_packet_and_block_plus_2_ms()
    {
        var policy = new AdaptiveTargetDelay(0, 500);
        Assert.Equal(0, policy.TargetMilliseconds);

        Feed(policy, 0, 100);

        Assert.Equal(0, policy.JitterMilliseconds);
        Assert.Equal(17, policy.TargetMilliseconds, 0.001);
    }

    [Fact]
    public void Adaptive_grows_at_once_on_a_late_frame_and_shrinks_slowly_after()
    {
        var policy = new AdaptiveTargetDelay(0, 500);
        Feed(policy, 0, 100);

        Feed(policy, 100, 1, lateBy: _ => 30_000);
        double spike = policy.TargetMilliseconds;
        Feed(policy, 101, 50);
        double secondAfter = policy.TargetMilliseconds;
        Feed(policy, 151, 3000);
        double minuteAfter = policy.TargetMilliseconds;

        Assert.Equal(47, spike, 0.001);
        // The peak halves every 10 s: after one second 30 ms × 2^-0.1 ≈ 28 ms of it is left.
        Assert.InRange(secondAfter, 44.5, 45.5);
        Assert.InRange(minuteAfter, 17, 18);
    }

    [Fact]
    public void Adaptive_stays_within_its_bounds()
    {
        var policy = new AdaptiveTargetDelay(20, 40);

        Feed(policy, 0, 100);
        double calm = policy.TargetMilliseconds;
        Feed(policy, 100, 1, lateBy: _ => 100_000);

        Assert.Equal(20, calm);
        Assert.Equal(40, policy.TargetMilliseconds);
        Assert.InRange(policy.JitterMilliseconds, 99, 101);
    }

    private static void Feed(ITargetDelayPolicy policy, long first, int count, Func<long, long>? lateBy = null)
    {
        for (long n = first; n < first + count; n++)
        {
            long mediaUs = n * FrameUs;
            policy.Observe(new FrameArrival(1_000_000 + mediaUs + (lateBy?.Invoke(n) ?? 0), mediaUs, 20, 10));
        }
    }
}

using Streamer.Bench.Listeners;

namespace Streamer.Tests.Bench.Listeners;

/// <summary>Sequence gaps and lateness against the stream's clock, on simulated arrival times (no real clock).</summary>
public class ArrivalTrackerTests
{
    private const long FrameUs = 20_000;

    [Fact]
    public void Frames_paced_on_their_clock_are_never_late_and_never_skipped()
    {
        var tracker = default(ArrivalTracker);
        for (int i = 0; i < 100; i++)
        {
            // A constant transit time of 3 ms: not lateness, the schedule is anchored on the stream itself.
            Assert.Equal(0, tracker.Accept(i, i * FrameUs, 5_000_000 + (i * FrameUs) + 3_000));
        }

        Assert.Equal(0, tracker.Skipped);
        Assert.Equal(0, tracker.OutOfOrder);
    }

    [Fact]
    public void A_frame_held_back_is_late_by_the_time_it_waited_and_a_gap_counts_the_missing_frames()
    {
        var tracker = default(ArrivalTracker);
        tracker.Accept(0, 0, 1_000_000);
        tracker.Accept(1, FrameUs, 1_000_000 + FrameUs);

        long late = tracker.Accept(2, 2 * FrameUs, 1_000_000 + (2 * FrameUs) + 7_500);
        tracker.Accept(6, 6 * FrameUs, 1_000_000 + (6 * FrameUs));

        Assert.Equal(7_500, late);
        Assert.Equal(3, tracker.Skipped);
    }

    [Fact]
    public void A_burst_of_old_frames_at_connect_is_not_late()
    {
        var tracker = default(ArrivalTracker);
        // Ten frames of the past at once, then live frames every 20 ms.
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(0, tracker.Accept(100 + i, (100 + i) * FrameUs, 9_000_000));
        }

        for (int i = 10; i < 20; i++)
        {
            Assert.Equal(0, tracker.Accept(100 + i, (100 + i) * FrameUs, 9_000_000 + ((i - 9) * FrameUs)));
        }
    }

    [Fact]
    public void Gaps_before_the_window_set_the_position_without_counting()
    {
        var tracker = default(ArrivalTracker);
        tracker.Accept(0, 0, 0, countGaps: false);
        tracker.Accept(5, 5 * FrameUs, 5 * FrameUs, countGaps: false);
        tracker.Accept(6, 6 * FrameUs, 6 * FrameUs);
        tracker.Accept(8, 8 * FrameUs, 8 * FrameUs);

        Assert.Equal(1, tracker.Skipped);
    }

    [Fact]
    public void A_repeated_frame_is_out_of_order_and_does_not_fake_a_gap()
    {
        var tracker = default(ArrivalTracker);
        tracker.Accept(0, 0, 0);
        tracker.Accept(1, FrameUs, FrameUs);
        tracker.Accept(1, FrameUs, FrameUs + 10);
        tracker.Accept(2, 2 * FrameUs, 2 * FrameUs);

        Assert.Equal(1, tracker.OutOfOrder);
        Assert.Equal(0, tracker.Skipped);
    }

    [Fact]
    public void Restart_takes_a_new_stream_without_a_gap()
    {
        var tracker = default(ArrivalTracker);
        tracker.Accept(40, 0, 0);
        tracker.Restart();

        Assert.Equal(0, tracker.Accept(3, 10 * FrameUs, 77));
        Assert.Equal(0, tracker.Skipped);
    }
}

using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Playout;

/// <summary>
/// Synchronized playout on a simulated clock (no real timings): samples play at their presentation times through
/// the clock offset, a drifting card is slewed back with spread single-sample slips, and two listeners' playout
/// logs agree.
/// </summary>
public class SynchronizedPlayoutTests
{
    private const double MicrosecondsPerSample = 1e6 / SyncSimulation.Rate;

    [Fact]
    public void Playout_starts_on_the_sample_whose_presentation_time_the_first_block_reaches()
    {
        var sim = new SyncSimulation(cardPpm: 0, trueOffsetUs: 7_000_123);
        sim.Run(1);

        Assert.True(sim.Buffer.Synchronized);
        // The card's blocks are heard at start + 37.321 ms + n × 5 ms + 10 ms (its latency); frame 0's presentation
        // time is 100 ms after capture: it falls 2.679 ms into block 10, so block 10 starts with 129 (rounded
        // 128.6) samples of silence, and then sample 1 of the stream.
        int first = sim.Output.ToList().FindIndex(s => s >= 0);
        Assert.Equal((10 * SyncSimulation.BlockFrames) + 129, first);
        Assert.Equal(1, sim.Output[first]);
        Assert.InRange(sim.Log[0] - sim.PresentationOf(0), -MicrosecondsPerSample, MicrosecondsPerSample);
        // Then every sample in order: nothing to correct on a perfect clock.
        for (int i = first + 1; i < sim.Output.Count; i++)
        {
            Assert.Equal(sim.Output[i - 1] + 1, sim.Output[i]);
        }
    }

    [Fact]
    public void Audio_whose_time_has_passed_is_dropped_to_the_sample_so_the_next_one_plays_on_time()
    {
        // The card starts 250.321 ms after the first capture: frames 0-7 (and part of 8) are already past their time.
        var sim = new SyncSimulation(cardPpm: 0) { CardStartDelayUs = 250_321 };
        sim.Run(1);

        Assert.False(sim.Log.ContainsKey(0));
        uint firstLogged = sim.Log.Keys.Min();
        Assert.Equal(9u, firstLogged);
        Assert.InRange(sim.Log[9] - sim.PresentationOf(9), -MicrosecondsPerSample, MicrosecondsPerSample);
        int first = sim.Output.ToList().FindIndex(s => s >= 0);
        Assert.Equal(0, first);
        // Block 0 is heard 260.321 ms after capture, 160.321 ms after frame 0's time: 7695.4 samples are past, so
        // sample 7695 (index + 1 in the signal) plays first.
        Assert.Equal(7696, sim.Output[0]);
        Assert.True(sim.Buffer.Resyncs == 0);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(-300)]
    public void A_drifting_card_is_held_on_time_by_spread_single_sample_slips(double ppm)
    {
        var sim = new SyncSimulation(ppm);
        sim.Run(60);

        // After convergence (2 s) every frame begins within a few samples of its time.
        var errors = sim.Log.Where(row => row.Key >= 100).Select(row => Math.Abs(row.Value - sim.PresentationOf(row.Key))).ToList();
        Assert.True(errors.Count > 2850, $"{errors.Count} frames logged");
        Assert.True(errors.Max() < 100, $"worst {errors.Max()} µs off at {ppm} ppm");
        // The controller learned the card's error.
        Assert.InRange(-sim.Buffer.DriftPpm, Math.Min(ppm * 0.9, ppm * 1.1) - 5, Math.Max(ppm * 0.9, ppm * 1.1) + 5);
        // No audible jumps: consecutive samples are the next one, or one repeated (slow card), or one skipped
        // (fast card): never a chunk; slips are single samples, and about ppm × samples of them.
        int first = sim.Output.ToList().FindIndex(s => s >= 0);
        int slips = 0;
        for (int i = first + 1; i < sim.Output.Count; i++)
        {
            int step = sim.Output[i] - sim.Output[i - 1];
            Assert.InRange(step, ppm > 0 ? 0 : 1, ppm > 0 ? 1 : 2);
            slips += step == 1 ? 0 : 1;
        }

        double expected = Math.Abs(ppm) * 1e-6 * (sim.Output.Count - first);
        Assert.InRange(slips, expected * 0.9, (expected * 1.1) + 50);
        Assert.Equal(0, sim.Buffer.Resyncs);
    }

    [Fact]
    public void Two_listeners_on_cards_300_ppm_apart_either_way_agree_frame_by_frame()
    {
        // Different machines: one 7 s ahead of the server, estimated 30 µs wrong; network jitter up to 8 ms.
        var random = new Random(14);
        long[] jitter = Enumerable.Range(0, 20_000).Select(_ => (long)random.Next(0, 8_000)).ToArray();
        var a = new SyncSimulation(cardPpm: 300, trueOffsetUs: 0) { Jitter = k => jitter[k] };
        var b = new SyncSimulation(cardPpm: -300, trueOffsetUs: -7_000_000, offsetErrorUs: 30) { Jitter = k => jitter[k] / 2, CardStartDelayUs = 61_000 };
        a.Run(120);
        b.Run(120);

        var differences = a.Log.Keys.Where(k => k >= 100 && b.Log.ContainsKey(k)).Select(k => Math.Abs(a.Log[k] - (b.Log[k] - b.OffsetErrorUs))).Order().ToList();
        Assert.True(differences.Count > 5000);
        long p99 = differences[(int)(differences.Count * 0.99)];
        // Both logs are on the server's clock (b's as it estimates it): what they disagree by is the sync error plus
        // b's estimate error, which is known here and taken out above.
        Assert.True(p99 < 100, $"p99 {p99} µs");
        Assert.Equal(0, a.Buffer.Resyncs + b.Buffer.Resyncs);
    }

    [Fact]
    public void An_error_in_the_clock_offset_estimate_shifts_playout_by_exactly_that_error()
    {
        var right = new SyncSimulation(0);
        var wrong = new SyncSimulation(0, offsetErrorUs: 1_500);
        right.Run(2);
        wrong.Run(2);

        // The listener believes the server's clock is 1.5 ms further on: it plays 1.5 ms (72 samples) early.
        int firstRight = right.Output.ToList().FindIndex(s => s >= 0);
        int firstWrong = wrong.Output.ToList().FindIndex(s => s >= 0);
        Assert.Equal(72, firstRight - firstWrong);
    }

    [Fact]
    public void Playout_is_placed_only_once_the_clock_offset_estimate_has_settled()
    {
        // A joining listener's first pongs queue behind its burst of audio: the first four come back 1.4 ms late,
        // which alone would put the server's clock 0.7 ms behind. The card could start playing at 30 ms (block 5 is
        // heard at frame 0's time, 40 ms); with four exchanges, all late, that placement would be 0.7 ms off and
        // slewed away for a second. Playout waits for eight, of which the round-trip filter keeps the clean ones.
        var sim = new SyncSimulation(cardPpm: 0) { LatencyUs = 40_000, CardStartDelayUs = 5_000, PongDelay = i => i < 4 ? 1_400 : 0 };
        sim.Run(3);

        Assert.True(sim.Buffer.Synchronized);
        Assert.True(sim.Log.Count > 140, $"{sim.Log.Count} frames logged");
        // From the first frame played, each begins within one sample of its time: no transient to slew away.
        Assert.All(sim.Log, row => Assert.InRange(row.Value - sim.PresentationOf(row.Key), -MicrosecondsPerSample, MicrosecondsPerSample));
        // It started at the eighth exchange (70 ms), not before: the audio whose time had passed is dropped.
        int first = sim.Output.ToList().FindIndex(s => s >= 0);
        Assert.Equal((70_000 - 5_000) / 5_000 * SyncSimulation.BlockFrames, first);
        Assert.Equal(0, sim.Buffer.Resyncs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    public void A_card_thread_that_wakes_up_to_four_blocks_late_does_not_move_playout(double ppm)
    {
        // Every 1.5 s the card's thread wakes 19 ms late (under four 5 ms blocks): it pulls the blocks that fell due
        // meanwhile, each with its scheduled time, as a card drains its buffer. Nothing is placed again.
        var sim = new SyncSimulation(ppm) { WakeLateness = t => t % 1_500_000 < 5_000 ? 19_000 : 0 };
        sim.Run(20);

        Assert.Equal(0, sim.CardRestarts);
        Assert.Equal(0, sim.Buffer.Resyncs);
        var errors = sim.Log.Where(row => row.Key >= 100).Select(row => Math.Abs(row.Value - sim.PresentationOf(row.Key))).ToList();
        Assert.True(errors.Max() < 100, $"worst {errors.Max()} µs off");
        int first = sim.Output.ToList().FindIndex(s => s >= 0);
        for (int i = first + 1; i < sim.Output.Count; i++)
        {
            Assert.InRange(sim.Output[i] - sim.Output[i - 1], 0, 2);
        }
    }

    [Fact]
    public void A_card_that_ran_dry_is_placed_again_to_the_sample_once()
    {
        // One wake-up 33 ms late at 2 s: past four blocks the card ran dry at the device and restarts its schedule
        // from then, in a new phase. Playout is placed again at once, on the sample, and only then.
        var sim = new SyncSimulation(cardPpm: 0) { WakeLateness = t => t is >= 2_000_000 and < 2_005_000 ? 33_000 : 0 };
        sim.Run(6);

        Assert.Equal(1, sim.CardRestarts);
        Assert.Equal(1, sim.Buffer.Resyncs);
        Assert.All(sim.Log, row => Assert.InRange(row.Value - sim.PresentationOf(row.Key), -MicrosecondsPerSample, MicrosecondsPerSample));
        // One jump in the audio (the 33 ms the device missed while dry, dropped); every other step is the next
        // sample or a single-sample slip of the controller (it holds ±1 sample around the time).
        int first = sim.Output.ToList().FindIndex(s => s >= 0);
        var jumps = new List<int>();
        for (int i = first + 1; i < sim.Output.Count; i++)
        {
            int step = sim.Output[i] - sim.Output[i - 1];
            if (step is < 0 or > 2)
            {
                jumps.Add(step);
            }
        }

        int missed = Assert.Single(jumps);
        Assert.InRange(missed, (33_000 / MicrosecondsPerSample) - 2, (33_000 / MicrosecondsPerSample) + 2);
    }

    [Fact]
    public void A_stream_without_presentation_times_keeps_the_adaptive_jitter_buffer()
    {
        var sim = new JitterSimulation(new JitterBufferOptions());
        sim.Run(5);
        Assert.False(sim.Buffer.Synchronized);
        Assert.True(sim.Stats.SamplesPlayed > 4 * 48000);
    }
}

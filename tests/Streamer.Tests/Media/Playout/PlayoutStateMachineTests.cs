using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Playout;

public sealed class PlayoutStateMachineTests
{
    private const int BlockAlign = 4;

    [Fact]
    public void Buffers_until_the_target_is_held_and_owes_nothing_for_the_silence_before_the_first_start()
    {
        var state = new PlayoutStateMachine(BlockAlign);

        Assert.False(state.TryStart(399, 400, completed: false, out _));
        state.PlayedSilence(480);
        Assert.Equal(PlayoutState.Buffering, state.State);
        Assert.Equal(0, state.DebtBytes);

        Assert.True(state.TryStart(1000, 400, completed: false, out int late));
        Assert.Equal(0, late);
        Assert.Equal(PlayoutState.Playing, state.State);
    }

    [Fact]
    public void A_finished_stream_starts_below_the_target()
    {
        var state = new PlayoutStateMachine(BlockAlign);

        Assert.True(state.TryStart(8, 400, completed: true, out _));
        Assert.True(state.IsPlaying);
    }

    [Fact]
    public void After_an_underrun_the_silence_is_owed_and_the_restart_drops_it_but_keeps_the_target()
    {
        var state = new PlayoutStateMachine(BlockAlign);
        state.TryStart(400, 400, completed: false, out _);

        state.RanDry(100);
        state.PlayedSilence(480);
        Assert.Equal(PlayoutState.Underrun, state.State);
        Assert.Equal(580, state.DebtBytes);

        Assert.False(state.TryStart(300, 400, completed: false, out _));
        // 1003 available, 400 kept: 603 could go, but only the 580 owed do, rounded down to whole sample frames.
        Assert.True(state.TryStart(1003, 400, completed: false, out int late));
        Assert.Equal(580, late);
        Assert.Equal(0, state.DebtBytes);
        Assert.Equal(PlayoutState.Playing, state.State);
    }

    [Fact]
    public void A_restart_never_drops_into_the_target()
    {
        var state = new PlayoutStateMachine(BlockAlign);
        state.TryStart(400, 400, completed: false, out _);
        state.RanDry(10_000);

        Assert.True(state.TryStart(530, 400, completed: false, out int late));
        Assert.Equal(128, late);
    }

    [Fact]
    public void The_buffer_goes_buffering_playing_underrun_playing_through_a_stall()
    {
        var sim = new JitterSimulation(new JitterBufferOptions { Strategy = "fixed:40" })
        {
            Delay = frame =>
            {
                long sendUs = frame * 20_000;
                return sendUs is >= 2_000_000 and < 2_300_000 ? 2_300_000 - sendUs : 0;
            },
        };

        Assert.Equal(PlayoutState.Buffering, sim.Buffer.State);
        sim.Run(1);
        Assert.Equal(PlayoutState.Playing, sim.Buffer.State);
        var seen = new List<PlayoutState>();
        sim.Run(3, () =>
        {
            if (seen.Count == 0 || seen[^1] != sim.Buffer.State)
            {
                seen.Add(sim.Buffer.State);
            }
        });

        Assert.Equal([PlayoutState.Playing, PlayoutState.Underrun, PlayoutState.Playing], seen);
        Assert.Equal(1, sim.Stats.Underruns);
    }
}

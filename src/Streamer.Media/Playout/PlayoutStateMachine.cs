namespace Streamer.Media.Playout;

/// <summary>Where a clocked stream's playout is.</summary>
internal enum PlayoutState
{
    /// <summary>Before the first start: silence, waiting for the target to fill.</summary>
    Buffering,

    /// <summary>Playing from the buffer.</summary>
    Playing,

    /// <summary>Ran dry while playing: silence, and the time it lasts is owed (<see cref="PlayoutStateMachine.DebtBytes"/>).</summary>
    Underrun,
}

/// <summary>
/// The playout states: buffering until the target is held, playing, and after an underrun re-buffering to the
/// target. Silence played during an underrun is owed: on restart the audio whose playout time passed meanwhile
/// is late and is dropped, except what refills the target, so a stall costs one gap and no lasting latency.
/// Pure bookkeeping in bytes; consumer (audio) thread only.
/// </summary>
internal sealed class PlayoutStateMachine
{
    private readonly int _blockAlign;

    public PlayoutStateMachine(int blockAlign)
    {
        _blockAlign = blockAlign;
    }

    public PlayoutState State { get; private set; }

    public bool IsPlaying => State == PlayoutState.Playing;

    /// <summary>Bytes of silence played since the last underrun began.</summary>
    public long DebtBytes { get; private set; }

    /// <summary>
    /// While not playing: starts if <paramref name="availableBytes"/> reach <paramref name="targetBytes"/> (or the
    /// stream has ended). <paramref name="lateBytes"/> (whole sample frames) should then be dropped before playing.
    /// </summary>
    public bool TryStart(int availableBytes, int targetBytes, bool completed, out int lateBytes)
    {
        lateBytes = 0;
        if (availableBytes < targetBytes && !completed)
        {
            return false;
        }

        // Audio that should have played during the silence is late: drop it, but keep what refills the target.
        long late = Math.Min(DebtBytes, Math.Max(0, availableBytes - targetBytes));
        lateBytes = (int)(late - (late % _blockAlign));
        DebtBytes = 0;
        State = PlayoutState.Playing;
        return true;
    }

    /// <summary>While not playing: <paramref name="bytes"/> of silence were played (owed only after a start).</summary>
    public void PlayedSilence(int bytes)
    {
        if (State == PlayoutState.Underrun)
        {
            DebtBytes += bytes;
        }
    }

    /// <summary>While playing: the buffer ran dry and <paramref name="missingBytes"/> of the block were silence.</summary>
    public void RanDry(int missingBytes)
    {
        DebtBytes += missingBytes;
        State = PlayoutState.Underrun;
    }
}

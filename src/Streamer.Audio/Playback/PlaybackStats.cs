namespace Streamer.Audio.Playback;

/// <summary>Counters for one received stream. Written by one thread each, read by the status line.</summary>
public sealed class PlaybackStats
{
    private long _packets;
    private long _bytes;
    private long _lost;
    private long _late;
    private long _underruns;
    private long _samplesPlayed;

    public long Packets => Volatile.Read(ref _packets);

    /// <summary>Payload bytes received (audio frames only).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Frames that never arrived (sequence gaps) and were concealed.</summary>
    public long Lost => Volatile.Read(ref _lost);

    /// <summary>Frames that arrived after their playout time and were dropped.</summary>
    public long Late => Volatile.Read(ref _late);

    public long Underruns => Volatile.Read(ref _underruns);

    public long SamplesPlayed => Volatile.Read(ref _samplesPlayed);

    public LatencyHistogram Latency { get; } = new();

    public void AddPacket(int payloadBytes)
    {
        Volatile.Write(ref _packets, _packets + 1);
        Volatile.Write(ref _bytes, _bytes + payloadBytes);
    }

    public void AddLost(long frames) => Volatile.Write(ref _lost, _lost + frames);

    public void AddLate() => Volatile.Write(ref _late, _late + 1);

    public void AddUnderrun() => Volatile.Write(ref _underruns, _underruns + 1);

    public void AddPlayed(long samples) => Volatile.Write(ref _samplesPlayed, _samplesPlayed + samples);
}

using Streamer.Protocol.ClockSync;

namespace Streamer.Media.Playout;

/// <summary>Counters for one received stream. Written by the receive loop and the output, read by the status line.</summary>
public sealed class PlaybackStats
{
    private long _packets;
    private long _bytes;
    private long _lost;
    private long _late;
    private long _underruns;
    private long _concealed;
    private long _samplesPlayed;

    /// <summary>Audio frames received.</summary>
    public long Packets => Volatile.Read(ref _packets);

    /// <summary>Payload bytes received (audio frames only).</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Frames that never arrived (sequence gaps).</summary>
    public long Lost => Volatile.Read(ref _lost);

    /// <summary>Frames that arrived after their playout time and were dropped.</summary>
    public long Late => Volatile.Read(ref _late);

    /// <summary>Times the clocked output found the buffer empty and played silence.</summary>
    public long Underruns => Volatile.Read(ref _underruns);

    /// <summary>Frames the decoder made up in place of missing ones.</summary>
    public long Concealed => Volatile.Read(ref _concealed);

    /// <summary>Samples per channel handed to the output.</summary>
    public long SamplesPlayed => Volatile.Read(ref _samplesPlayed);

    /// <summary>Send-to-playout latency, with the sender's clock mapped onto ours by <see cref="ClockOffset"/>.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>The offset between the sender's clock and ours, from ping/pong.</summary>
    public ClockOffsetEstimator ClockOffset { get; } = new();

    /// <summary>Counts one received audio frame of <paramref name="payloadBytes"/> bytes.</summary>
    public void AddPacket(int payloadBytes)
    {
        Volatile.Write(ref _packets, _packets + 1);
        Volatile.Write(ref _bytes, _bytes + payloadBytes);
    }

    /// <summary>Counts <paramref name="frames"/> frames that never arrived.</summary>
    public void AddLost(long frames) => Volatile.Write(ref _lost, _lost + frames);

    // Both the receive loop (out-of-order frames) and the output (frames past their playout time) count late ones.
    /// <summary>Counts one late frame (thread-safe: the receive loop and the output both count).</summary>
    public void AddLate() => Interlocked.Increment(ref _late);

    /// <summary>Counts one underrun.</summary>
    public void AddUnderrun() => Volatile.Write(ref _underruns, _underruns + 1);

    /// <summary>Counts <paramref name="frames"/> frames made up by concealment.</summary>
    public void AddConcealed(long frames) => Volatile.Write(ref _concealed, _concealed + frames);

    /// <summary>Counts <paramref name="samples"/> samples per channel played.</summary>
    public void AddPlayed(long samples) => Volatile.Write(ref _samplesPlayed, _samplesPlayed + samples);
}

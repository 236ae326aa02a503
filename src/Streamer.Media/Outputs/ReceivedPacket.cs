using System.Buffers;

namespace Streamer.Media.Outputs;

/// <summary>
/// One audio packet as the receiver's sink chain sees it: in sequence order, with the packets missing just before
/// it counted (a sender skips frames for a client that lags). No protocol type: a sink needs only this assembly.
/// </summary>
public readonly struct ReceivedPacket
{
    /// <summary>Describes a packet; <paramref name="payload"/> must stay valid for the call it is passed to.</summary>
    public ReceivedPacket(uint sequence, ulong timestamp, long sendTimeUs, ReadOnlySequence<byte> payload, uint lostBefore)
        : this(sequence, timestamp, sendTimeUs, payload, lostBefore, 0)
    {
    }

    /// <summary>Describes a packet with its presentation time (0: none); <paramref name="payload"/> must stay valid for the call it is passed to.</summary>
    public ReceivedPacket(uint sequence, ulong timestamp, long sendTimeUs, ReadOnlySequence<byte> payload, uint lostBefore, long presentationTimeUs)
    {
        PresentationTimeUs = presentationTimeUs;
        Sequence = sequence;
        Timestamp = timestamp;
        SendTimeUs = sendTimeUs;
        Payload = payload;
        LostBefore = lostBefore;
    }

    /// <summary>The sender's packet number, one more for each packet it made (skipped ones included).</summary>
    public uint Sequence { get; }

    /// <summary>Media time of the packet's first sample, in samples per channel from the start of the stream.</summary>
    public ulong Timestamp { get; }

    /// <summary>The sender's wall clock when it sent the packet, in microseconds (for send-to-playout latency).</summary>
    public long SendTimeUs { get; }

    /// <summary>
    /// The encoded packet (raw PCM for PCM streams), a slice of the network buffer that may span several segments;
    /// valid only during the call it is passed to: a sink that keeps it must copy it.
    /// </summary>
    public ReadOnlySequence<byte> Payload { get; }

    /// <summary>
    /// When the packet's first decoded sample should be heard, on the sender's wall clock in µs since the Unix epoch
    /// (synchronized playout); 0 when the sender gives none (an older server).
    /// </summary>
    public long PresentationTimeUs { get; }

    /// <summary>Packets missing just before this one (a sequence gap); 0 almost always.</summary>
    public uint LostBefore { get; }
}

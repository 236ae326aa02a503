namespace Streamer.Bench.Latency;

/// <summary>
/// The stages one audio frame passes from capture to the listener's ear, in order (docs/bench.md, "Stages"). Each
/// is the time between two timestamps taken on the frame's way, so for every frame the stages add up to
/// <see cref="EndToEnd"/> exactly (up to the clock-offset estimate's change while the frame travels).
/// </summary>
public enum LatencyStage
{
    /// <summary>From the frame's first sample being captured to the source handing the whole frame out: the packet
    /// duration itself plus how late the sender woke up.</summary>
    SourceRead,

    /// <summary>From the frame read to its packet encoded (0 for PCM, which is not encoded).</summary>
    Encode,

    /// <summary>From the packet encoded to the frame published with its send time (the frame header's).</summary>
    SendQueue,

    /// <summary>From the send stamp to the bytes being readable at the receiver, one way, with the sender's clock mapped
    /// by the receiver's clock-offset estimate: the listener's wake-up and socket write, the network (or a proxy) and the kernel.</summary>
    Wire,

    /// <summary>From the bytes readable at the receiver to the parsed frame entering the sink chain (framing, sequence checks).</summary>
    ReceiveParse,

    /// <summary>From the packet entering the decoder stage to its PCM being in the jitter buffer.</summary>
    Decode,

    /// <summary>From the PCM in the jitter buffer to the output pulling it: the jitter target at work.</summary>
    JitterWait,

    /// <summary>From the output pulling the frame to it being heard (the output's own latency; the bench's paced null
    /// output models a sound card holding two blocks).</summary>
    Output,

    /// <summary>From capture (or, against a server not run by the bench, from the send stamp) to heard.</summary>
    EndToEnd,

    /// <summary>What the engine adds: every stage but the packet duration, the wire, the jitter-buffer wait and the
    /// output device, i.e. source read minus the packet duration, plus encode, send queue, receive and parse, and decode.</summary>
    EngineAdded,
}

namespace Streamer.Bench.Matrix;

/// <summary>One codec under one network condition: what <c>bench matrix</c> prints per row.</summary>
/// <param name="Codec">The codec as asked for, e.g. <c>opus:64</c>.</param>
/// <param name="Condition">The condition's name, e.g. <c>4g</c>.</param>
/// <param name="Kbps">Bytes on the wire over the run (frame headers included), in kbit/s.</param>
/// <param name="EndToEndP50Milliseconds">Median latency from capture to output, in ms.</param>
/// <param name="EndToEndP99Milliseconds">99th percentile of the same, in ms.</param>
/// <param name="BufferP50Milliseconds">Median time a frame waited in the jitter buffer (the target the strategy settled on, at work), in ms.</param>
/// <param name="JitterMilliseconds">RFC 3550 interarrival jitter at the receiver, in ms.</param>
/// <param name="ConcealedMilliseconds">Audio the decoder had to invent for missing or late frames, in ms.</param>
/// <param name="Underruns">Times the jitter buffer ran dry.</param>
/// <param name="SnrDb">Median SNR of 25 ms windows of what was played against the source, in dB (+∞: bit-exact); null when nothing was played.</param>
public sealed record MatrixCell(
    string Codec,
    string Condition,
    double Kbps,
    double EndToEndP50Milliseconds,
    double EndToEndP99Milliseconds,
    double BufferP50Milliseconds,
    double JitterMilliseconds,
    double ConcealedMilliseconds,
    long Underruns,
    double? SnrDb);

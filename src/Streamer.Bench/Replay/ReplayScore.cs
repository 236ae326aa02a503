namespace Streamer.Bench.Replay;

/// <summary>One strategy's scorecard over a replayed trace (docs/bench.md, "bench replay").</summary>
/// <param name="Strategy">The strategy as named (<c>fixed:40</c>, <c>adaptive</c>, <c>adaptive:p99</c>).</param>
/// <param name="Frames">Frames in the trace that were played.</param>
/// <param name="Underruns">Times the buffer ran dry while playing.</param>
/// <param name="ConcealedMilliseconds">Audio concealed for frames missing from the trace (sequence gaps).</param>
/// <param name="SilenceMilliseconds">Silence played after playback started: underruns and the refill after them.</param>
/// <param name="MeanDelayMilliseconds">Mean playout delay: from a frame's arrival to its first sample being played.</param>
/// <param name="P99DelayMilliseconds">The 99th percentile of that delay.</param>
/// <param name="TargetChanges">Times the target delay changed.</param>
/// <param name="SampleSlips">Sample frames dropped or repeated by the drift corrector.</param>
/// <param name="LateDropped">Frames dropped as late (by sequence, or by the buffer when it restarted).</param>
public sealed record ReplayScore(string Strategy, long Frames, long Underruns, double ConcealedMilliseconds, double SilenceMilliseconds, double MeanDelayMilliseconds, double P99DelayMilliseconds, long TargetChanges, long SampleSlips, long LateDropped);

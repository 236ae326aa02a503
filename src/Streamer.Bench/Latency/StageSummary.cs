namespace Streamer.Bench.Latency;

/// <summary>One stage's latency over the measured frames, in ms (from an HdrHistogram at µs resolution, 3 digits).</summary>
/// <param name="Stage">Which stage.</param>
/// <param name="Count">Frames measured.</param>
/// <param name="MeanMilliseconds">The mean (exact, of the raw values).</param>
/// <param name="P50Milliseconds">The median.</param>
/// <param name="P95Milliseconds">The 95th percentile.</param>
/// <param name="P99Milliseconds">The 99th percentile.</param>
/// <param name="MaxMilliseconds">The largest.</param>
public sealed record StageSummary(LatencyStage Stage, long Count, double MeanMilliseconds, double P50Milliseconds, double P95Milliseconds, double P99Milliseconds, double MaxMilliseconds)
{
    /// <summary>The stage's name in reports and JSON ("source_read", "end_to_end").</summary>
    public string Name => NameOf(Stage);

    /// <summary>The snake-case name of <paramref name="stage"/>.</summary>
    public static string NameOf(LatencyStage stage) => stage switch
    {
        LatencyStage.SourceRead => "source_read",
        LatencyStage.Encode => "encode",
        LatencyStage.SendQueue => "send_queue",
        LatencyStage.Wire => "wire",
        LatencyStage.ReceiveParse => "receive_parse",
        LatencyStage.Decode => "decode",
        LatencyStage.JitterWait => "jitter_wait",
        LatencyStage.Output => "output",
        LatencyStage.EndToEnd => "end_to_end",
        LatencyStage.EngineAdded => "engine_added",
        _ => stage.ToString(),
    };
}

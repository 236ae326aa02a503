using System.Globalization;
using System.Text;

namespace Streamer.Bench.Latency;

/// <summary>A <see cref="LatencyReport"/> as a table, as JSON (schema in docs/bench.md) or as CSV (one row per stage).</summary>
public static class LatencyReportWriter
{
    /// <summary>The JSON schema's version: raised when a field changes meaning or goes away.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The table people read.</summary>
    public static string Text(LatencyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(Invariant($"{report.Codec}, {report.FrameMilliseconds:0.##} ms frames, jitter buffer {report.Strategy}, {report.Seconds:0.#} s via {report.Target}"));
        text.Append(report.SenderMeasured ? " (sender in this process)" : " (sender not measured: end to end from the send stamp)").Append('\n');
        text.Append(Invariant($"{"stage",-14} {"frames",7} {"mean",8} {"p50",8} {"p95",8} {"p99",8} {"max",8}  (ms)\n"));
        foreach (var s in report.Stages)
        {
            if (s.Stage == LatencyStage.EndToEnd)
            {
                text.Append(new string('-', 66)).Append('\n');
            }

            text.Append(Invariant($"{s.Name,-14} {s.Count,7} {s.MeanMilliseconds,8:0.000} {s.P50Milliseconds,8:0.000} {s.P95Milliseconds,8:0.000} {s.P99Milliseconds,8:0.000} {s.MaxMilliseconds,8:0.000}\n"));
        }

        text.Append(Invariant($"jitter (RFC 3550) {report.JitterMilliseconds:0.000} ms (wire alone {report.WireJitterMilliseconds:0.000} ms); packets {report.Packets}, lost {report.Lost}, late {report.Late}, concealed {report.Concealed} ({report.ConcealedMilliseconds:0.#} ms), underruns {report.Underruns}\n"));
        text.Append(Invariant($"clock offset {report.ClockOffsetMicroseconds} us (round trip {report.RoundTripMicroseconds} us); first {report.WarmupFrames} frames not measured (warm-up)\n"));
        return text.ToString();
    }

    /// <summary>One JSON object (docs/bench.md, "JSON"); times in ms.</summary>
    public static string Json(LatencyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return BenchJson.Write(json =>
        {
            json.WriteStartObject();
            json.WriteNumber("schema", SchemaVersion);
            json.WriteString("codec", report.Codec);
            json.WriteNumber("frame_ms", report.FrameMilliseconds);
            json.WriteString("strategy", report.Strategy);
            json.WriteString("target", report.Target);
            json.WriteBoolean("sender_measured", report.SenderMeasured);
            json.WriteNumber("seconds", report.Seconds);
            json.WriteNumber("warmup_frames", report.WarmupFrames);
            json.WriteStartObject("stages");
            foreach (var s in report.Stages)
            {
                json.WriteStartObject(s.Name);
                json.WriteNumber("count", s.Count);
                json.WriteNumber("mean_ms", Round(s.MeanMilliseconds));
                json.WriteNumber("p50_ms", Round(s.P50Milliseconds));
                json.WriteNumber("p95_ms", Round(s.P95Milliseconds));
                json.WriteNumber("p99_ms", Round(s.P99Milliseconds));
                json.WriteNumber("max_ms", Round(s.MaxMilliseconds));
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteNumber("jitter_ms", Round(report.JitterMilliseconds));
            json.WriteNumber("wire_jitter_ms", Round(report.WireJitterMilliseconds));
            json.WriteNumber("packets", report.Packets);
            json.WriteNumber("bytes", report.Bytes);
            json.WriteNumber("lost", report.Lost);
            json.WriteNumber("late", report.Late);
            json.WriteNumber("concealed", report.Concealed);
            json.WriteNumber("concealed_ms", Round(report.ConcealedMilliseconds));
            json.WriteNumber("underruns", report.Underruns);
            json.WriteNumber("clock_offset_us", report.ClockOffsetMicroseconds);
            json.WriteNumber("round_trip_us", report.RoundTripMicroseconds);
            json.WriteEndObject();
        });
    }

    /// <summary>CSV: a header, then one row per stage.</summary>
    public static string Csv(LatencyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder("stage,count,mean_ms,p50_ms,p95_ms,p99_ms,max_ms\n");
        foreach (var s in report.Stages)
        {
            text.Append(Invariant($"{s.Name},{s.Count},{s.MeanMilliseconds:0.###},{s.P50Milliseconds:0.###},{s.P95Milliseconds:0.###},{s.P99Milliseconds:0.###},{s.MaxMilliseconds:0.###}\n"));
        }

        return text.ToString();
    }

    private static double Round(double value) => Math.Round(value, 3);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

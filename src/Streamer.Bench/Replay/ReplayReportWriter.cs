using System.Globalization;
using System.Text;
using Streamer.Bench.Trace;

namespace Streamer.Bench.Replay;

/// <summary>The replay scorecard as a table or as JSON (schema in docs/bench.md).</summary>
public static class ReplayReportWriter
{
    /// <summary>The JSON schema's version.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The table people read.</summary>
    public static string Text(ArrivalTrace trace, IReadOnlyList<ReplayScore> scores)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(scores);
        var text = new StringBuilder();
        text.Append(Invariant($"{trace.Frames.Count} frames of {trace.Codec} ({trace.FrameMilliseconds:0.##} ms each, {Span(trace):0.#} s of arrivals), replayed on a simulated clock\n"));
        text.Append(Invariant($"{"strategy",-16} {"underruns",9} {"concealed",10} {"silence",9} {"mean delay",10} {"p99 delay",10} {"target",7} {"slips",7} {"late",5}\n"));
        text.Append(Invariant($"{"",-16} {"",9} {"ms",10} {"ms",9} {"ms",10} {"ms",10} {"changes",7} {"samples",7} {"",5}\n"));
        foreach (var s in scores)
        {
            text.Append(Invariant($"{s.Strategy,-16} {s.Underruns,9} {s.ConcealedMilliseconds,10:0.#} {s.SilenceMilliseconds,9:0.#} {s.MeanDelayMilliseconds,10:0.0} {s.P99DelayMilliseconds,10:0.0} {s.TargetChanges,7} {s.SampleSlips,7} {s.LateDropped,5}\n"));
        }

        return text.ToString();
    }

    /// <summary>One JSON object: the trace's description and one entry per strategy.</summary>
    public static string Json(ArrivalTrace trace, IReadOnlyList<ReplayScore> scores)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(scores);
        return BenchJson.Write(json =>
        {
            json.WriteStartObject();
            json.WriteNumber("schema", SchemaVersion);
            json.WriteString("codec", trace.Codec);
            json.WriteNumber("frame_ms", trace.FrameMilliseconds);
            json.WriteNumber("frames", trace.Frames.Count);
            json.WriteNumber("seconds", Math.Round(Span(trace), 3));
            json.WriteStartArray("strategies");
            foreach (var s in scores)
            {
                json.WriteStartObject();
                json.WriteString("strategy", s.Strategy);
                json.WriteNumber("frames_played", s.Frames);
                json.WriteNumber("underruns", s.Underruns);
                json.WriteNumber("concealed_ms", Math.Round(s.ConcealedMilliseconds, 3));
                json.WriteNumber("silence_ms", Math.Round(s.SilenceMilliseconds, 3));
                json.WriteNumber("mean_delay_ms", Math.Round(s.MeanDelayMilliseconds, 3));
                json.WriteNumber("p99_delay_ms", Math.Round(s.P99DelayMilliseconds, 3));
                json.WriteNumber("target_changes", s.TargetChanges);
                json.WriteNumber("sample_slips", s.SampleSlips);
                json.WriteNumber("late", s.LateDropped);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static double Span(ArrivalTrace trace)
        => trace.Frames.Count < 2 ? 0 : (trace.Frames[^1].ArrivalMicroseconds - trace.Frames[0].ArrivalMicroseconds) / 1e6;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

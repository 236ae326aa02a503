using System.Globalization;
using System.Text;

namespace Streamer.Bench.Matrix;

/// <summary>The matrix as a table, JSON (schema in docs/bench.md) or CSV.</summary>
public static class MatrixReportWriter
{
    private static readonly string[] Columns = ["codec", "condition", "kbps", "e2e_p50_ms", "e2e_p99_ms", "buffer_p50_ms", "jitter_ms", "concealed_ms", "underruns", "snr_db"];

    /// <summary>An aligned table, one row per cell.</summary>
    /// <param name="cells">The cells, in run order.</param>
    public static string Text(IReadOnlyList<MatrixCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var rows = new List<string[]> { new[] { "codec", "condition", "kbit/s", "e2e p50 ms", "e2e p99 ms", "buffer ms", "jitter ms", "concealed ms", "underruns", "SNR dB" } };
        foreach (var c in cells)
        {
            rows.Add([c.Codec, c.Condition, F(c.Kbps, "0.0"), F(c.EndToEndP50Milliseconds, "0.0"), F(c.EndToEndP99Milliseconds, "0.0"), F(c.BufferP50Milliseconds, "0.0"), F(c.JitterMilliseconds, "0.00"), F(c.ConcealedMilliseconds, "0"), c.Underruns.ToString(CultureInfo.InvariantCulture), Snr(c.SnrDb)]);
        }

        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (int i = 0; i < row.Length; i++)
            {
                text.Append(i < 2 ? row[i].PadRight(widths[i]) : row[i].PadLeft(widths[i]));
                text.Append(i + 1 < row.Length ? "  " : "\n");
            }
        }

        return text.ToString();
    }

    /// <summary><c>{"cells":[{…}, …]}</c>; an SNR of +∞ (bit-exact) is the string "inf", a missing one null.</summary>
    /// <param name="cells">The cells, in run order.</param>
    public static string Json(IReadOnlyList<MatrixCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return BenchJson.Write(json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("cells");
            foreach (var c in cells)
            {
                json.WriteStartObject();
                json.WriteString("codec", c.Codec);
                json.WriteString("condition", c.Condition);
                BenchJson.Number(json, "kbps", c.Kbps);
                BenchJson.Number(json, "e2e_p50_ms", c.EndToEndP50Milliseconds);
                BenchJson.Number(json, "e2e_p99_ms", c.EndToEndP99Milliseconds);
                BenchJson.Number(json, "buffer_p50_ms", c.BufferP50Milliseconds);
                BenchJson.Number(json, "jitter_ms", c.JitterMilliseconds);
                BenchJson.Number(json, "concealed_ms", c.ConcealedMilliseconds);
                json.WriteNumber("underruns", c.Underruns);
                if (c.SnrDb is { } snr && double.IsPositiveInfinity(snr))
                {
                    json.WriteString("snr_db", "inf");
                }
                else
                {
                    BenchJson.Number(json, "snr_db", c.SnrDb ?? double.NaN);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>A header line and one row per cell, columns as in the JSON.</summary>
    /// <param name="cells">The cells, in run order.</param>
    public static string Csv(IReadOnlyList<MatrixCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var text = new StringBuilder(string.Join(',', Columns)).Append('\n');
        foreach (var c in cells)
        {
            text.Append(Quote(c.Codec)).Append(',').Append(Quote(c.Condition)).Append(',')
                .Append(F(c.Kbps, "0.###")).Append(',').Append(F(c.EndToEndP50Milliseconds, "0.###")).Append(',')
                .Append(F(c.EndToEndP99Milliseconds, "0.###")).Append(',').Append(F(c.BufferP50Milliseconds, "0.###")).Append(',').Append(F(c.JitterMilliseconds, "0.###")).Append(',')
                .Append(F(c.ConcealedMilliseconds, "0.###")).Append(',').Append(c.Underruns.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(c.SnrDb is { } s ? (double.IsPositiveInfinity(s) ? "inf" : F(s, "0.##")) : string.Empty).Append('\n');
        }

        return text.ToString();
    }

    private static string Snr(double? snr) => snr is not { } s ? "-" : double.IsPositiveInfinity(s) ? "exact" : F(s, "0.0");

    private static string F(double value, string format) => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Quote(string text) => text.Contains(',', StringComparison.Ordinal) || text.Contains('"', StringComparison.Ordinal) ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}

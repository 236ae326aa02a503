using System.Globalization;
using System.Text;

namespace Streamer.Bench;

/// <summary>Prints bench rows as an aligned table, CSV or a JSON array (one object per row, each with a <c>codec</c> field).</summary>
public static class CodecBenchReport
{
    private static readonly string[] Headers =
    [
        "codec", "settings", "kbit/s", "enc xRT", "dec xRT", "SNR dB", "lag", "delay ms", "mean B", "max B", "alloc B/frame", "gen0/min", "GC pause ms/min", "note",
    ];

    /// <summary>The rows as an aligned text table with a header line.</summary>
    public static string Table(IReadOnlyList<CodecBenchRow> rows)
    {
        var cells = new List<string[]> { Headers };
        foreach (var row in rows)
        {
            cells.Add(Cells(row));
        }

        var widths = new int[Headers.Length];
        foreach (var line in cells)
        {
            for (int i = 0; i < line.Length; i++)
            {
                widths[i] = Math.Max(widths[i], line[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var line in cells)
        {
            for (int i = 0; i < line.Length; i++)
            {
                bool left = i is 0 or 1 or 13;
                text.Append(left ? line[i].PadRight(widths[i]) : line[i].PadLeft(widths[i]));
                text.Append(i == line.Length - 1 ? string.Empty : "  ");
            }

            text.Length = text.ToString().TrimEnd(' ').Length;
            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The rows as CSV with a header line.</summary>
    public static string Csv(IReadOnlyList<CodecBenchRow> rows)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', Headers)).Append('\n');
        foreach (var row in rows)
        {
            var line = Cells(row);
            for (int i = 0; i < line.Length; i++)
            {
                string cell = line[i];
                text.Append(cell.Contains(',', StringComparison.Ordinal) || cell.Contains('"', StringComparison.Ordinal) ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell);
                text.Append(i == line.Length - 1 ? '\n' : ',');
            }
        }

        return text.ToString();
    }

    /// <summary>The rows as a JSON array, one object per row.</summary>
    public static string Json(IReadOnlyList<CodecBenchRow> rows)
    {
        return BenchJson.Write(json =>
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                json.WriteString("codec", row.Codec);
                json.WriteString("settings", row.Settings);
                BenchJson.Number(json, "kbps", row.Kbps);
                BenchJson.Number(json, "encodeRealtime", row.EncodeRealtime);
                BenchJson.Number(json, "decodeRealtime", row.DecodeRealtime);
                BenchJson.Number(json, "snrDb", row.SnrDb);
                json.WriteBoolean("lossless", double.IsPositiveInfinity(row.SnrDb));
                json.WriteNumber("lagSamples", row.LagSamples);
                BenchJson.Number(json, "delayMs", row.DelayMs);
                BenchJson.Number(json, "meanPacketBytes", row.MeanPacketBytes);
                json.WriteNumber("maxPacketBytes", row.MaxPacketBytes);
                BenchJson.Number(json, "allocBytesPerFrame", row.AllocBytesPerFrame);
                BenchJson.Number(json, "gen0PerMinute", row.Gen0PerMinute);
                BenchJson.Number(json, "gcPauseMsPerMinute", row.GcPauseMsPerMinute);
                if (row.Note is not null)
                {
                    json.WriteString("note", row.Note);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
    }

    private static string[] Cells(CodecBenchRow row) =>
    [
        row.Codec,
        row.Settings,
        Format(row.Kbps, "0.0"),
        Format(row.EncodeRealtime, "0"),
        Format(row.DecodeRealtime, "0"),
        double.IsPositiveInfinity(row.SnrDb) ? "lossless" : Format(row.SnrDb, "0.0"),
        row.LagSamples.ToString(CultureInfo.InvariantCulture),
        Format(row.DelayMs, "0.0"),
        Format(row.MeanPacketBytes, "0.0"),
        row.MaxPacketBytes.ToString(CultureInfo.InvariantCulture),
        Format(row.AllocBytesPerFrame, "0"),
        Format(row.Gen0PerMinute, "0.0"),
        Format(row.GcPauseMsPerMinute, "0.0"),
        row.Note ?? string.Empty,
    ];

    private static string Format(double value, string format)
        => double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";
}

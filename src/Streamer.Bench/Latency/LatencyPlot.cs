using ScottPlot;
using SkiaSharp;

namespace Streamer.Bench.Latency;

/// <summary>
/// <c>--plot FILE.png</c>: one row per stage (end to end last), each with the stage's latency over the run (per frame,
/// by media time) on the left and its histogram on the right, drawn with ScottPlot into one PNG.
/// </summary>
public static class LatencyPlot
{
    /// <summary>Width of the image, in pixels.</summary>
    public const int Width = 1400;

    /// <summary>Height of one stage's row, in pixels.</summary>
    public const int RowHeight = 200;

    private const int HistogramBins = 40;

    /// <summary>Writes the chart of <paramref name="report"/> to <paramref name="path"/> (PNG, <see cref="Width"/> × rows × <see cref="RowHeight"/>).</summary>
    public static void Save(LatencyReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        var stages = report.Stages;
        int height = Math.Max(1, stages.Count) * RowHeight;
        int timeWidth = Width * 3 / 5;
        using var surface = SKSurface.Create(new SKImageInfo(Width, height)) ?? throw new IOException("cannot create the chart's drawing surface");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        double[] times = [.. report.FrameTimes];
        for (int row = 0; row < stages.Count; row++)
        {
            var summary = stages[row];
            double[] values = report.FrameSeries[summary.Stage];
            float top = row * RowHeight;

            var overTime = new Plot();
            var points = overTime.Add.ScatterPoints(times, values);
            points.MarkerSize = 2;
            overTime.Title(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{summary.Name}: p50 {summary.P50Milliseconds:0.###} ms, p99 {summary.P99Milliseconds:0.###} ms"), 12);
            overTime.XLabel("media time (s)", 11);
            overTime.YLabel("ms", 11);
            Draw(canvas, overTime, 0, top, timeWidth);

            var histogram = new Plot();
            if (values.Length > 0)
            {
                double min = values.Min();
                double max = values.Max();
                // A stage that is always the same (PCM's encode: 0) still gets a bin.
                var bins = ScottPlot.Statistics.Histogram.WithBinCount(HistogramBins, min, max > min ? max : min + 0.001);
                bins.AddRange(values);
                var bars = histogram.Add.Bars(bins.Bins, bins.Counts);
                foreach (var bar in bars.Bars)
                {
                    bar.Size = bins.FirstBinSize * 0.9;
                }
            }

            histogram.XLabel("ms", 11);
            histogram.YLabel("frames", 11);
            Draw(canvas, histogram, timeWidth, top, Width - timeWidth);
        }

        using var chart = surface.Snapshot();
        using var png = chart.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    /// <summary>Renders one chart on a surface of its own (a plot paints its whole canvas) and places it.</summary>
    private static void Draw(SKCanvas canvas, Plot plot, float left, float top, int width)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, RowHeight)) ?? throw new IOException("cannot create the chart's drawing surface");
        plot.Render(surface);
        using var image = surface.Snapshot();
        canvas.DrawImage(image, left, top);
    }
}

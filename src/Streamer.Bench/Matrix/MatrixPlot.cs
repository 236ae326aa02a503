using ScottPlot;
using SkiaSharp;

namespace Streamer.Bench.Matrix;

/// <summary><c>bench matrix --plot FILE.png</c>: one bar chart per figure (end-to-end p99 and p50, buffer wait, underruns and concealed ms, SNR), one bar per cell.</summary>
public static class MatrixPlot
{
    /// <summary>Width of the image, in pixels.</summary>
    public const int Width = 1200;

    /// <summary>Height of one chart, in pixels.</summary>
    public const int RowHeight = 300;

    /// <summary>Writes the charts of <paramref name="cells"/> to <paramref name="path"/> (PNG, <see cref="Width"/> × 4 × <see cref="RowHeight"/>).</summary>
    /// <param name="cells">The cells, in run order.</param>
    /// <param name="path">The PNG file to write.</param>
    public static void Save(IReadOnlyList<MatrixCell> cells, string path)
    {
        ArgumentNullException.ThrowIfNull(cells);
        (string Title, string Unit, Func<MatrixCell, double> Value)[] charts =
        [
            ("End-to-end latency p99 (bars) and p50 (dots)", "ms", c => c.EndToEndP99Milliseconds),
            ("Jitter-buffer wait p50: the target the strategy settled on", "ms", c => c.BufferP50Milliseconds),
            ("Underruns (the buffer ran dry) and concealed audio (ms, dots)", "count", c => c.Underruns),
            ("SNR against the source (bit-exact drawn at 100 dB)", "dB", c => c.SnrDb is { } s ? Math.Min(100, s) : 0),
        ];
        using var surface = SKSurface.Create(new SKImageInfo(Width, charts.Length * RowHeight)) ?? throw new IOException("cannot create the chart's drawing surface");
        surface.Canvas.Clear(SKColors.White);
        var ticks = new Tick[cells.Count];
        for (int i = 0; i < cells.Count; i++)
        {
            ticks[i] = new Tick(i, cells[i].Codec + "\n" + cells[i].Condition);
        }

        for (int row = 0; row < charts.Length; row++)
        {
            var plot = new Plot();
            var bars = new List<Bar>(cells.Count);
            var codecs = new List<string>();
            for (int i = 0; i < cells.Count; i++)
            {
                int codec = codecs.IndexOf(cells[i].Codec);
                if (codec < 0)
                {
                    codecs.Add(cells[i].Codec);
                    codec = codecs.Count - 1;
                }

                double value = charts[row].Value(cells[i]);
                bars.Add(new Bar { Position = i, Value = double.IsFinite(value) ? value : 0, FillColor = plot.Add.Palette.GetColor(codec) });
            }

            plot.Add.Bars(bars);
            if (Dots(row) is { } dot)
            {
                double[] xs = new double[cells.Count];
                double[] ys = new double[cells.Count];
                for (int i = 0; i < cells.Count; i++)
                {
                    xs[i] = i;
                    double value = dot(cells[i]);
                    ys[i] = double.IsFinite(value) ? value : 0;
                }

                var dots = plot.Add.ScatterPoints(xs, ys);
                dots.Color = Colors.Black;
                dots.MarkerSize = 7;
            }

            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
            plot.Axes.Margins(bottom: 0);
            plot.Title(charts[row].Title, 13);
            plot.YLabel(charts[row].Unit, 11);
            // Each chart is rendered on its own and pasted: rendering into a shared canvas painted every chart's
            // background over the whole image.
            using var chart = SKBitmap.Decode(plot.GetImageBytes(Width, RowHeight, ImageFormat.Png));
            surface.Canvas.DrawBitmap(chart, 0, row * RowHeight);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    /// <summary>The figure drawn as dots over a chart's bars: p50 over the p99 bars, concealed ms over the underruns.</summary>
    private static Func<MatrixCell, double>? Dots(int row) => row switch
    {
        0 => c => c.EndToEndP50Milliseconds,
        2 => c => c.ConcealedMilliseconds,
        _ => null,
    };
}

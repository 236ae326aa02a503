namespace Streamer.Cli.Reporting;

/// <summary>
/// Writes a bench chart (<c>--plot FILE.png</c>) after the report has been printed, so a chart that cannot be drawn
/// never costs the measurement: a missing native renderer (ScottPlot's SkiaSharp library) or an unwritable path
/// becomes one line and exit 1 instead of a stack trace.
/// </summary>
internal static class PlotFile
{
    public static void Save(string path, Action<string> save)
    {
        try
        {
            save(path);
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            throw new CliException(ExitCodes.Failure, $"--plot {path}: the chart renderer (SkiaSharp's native library) cannot be loaded here; the report above is complete");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Failure, $"--plot {path}: cannot write the chart ({ex.Message}); the report above is complete");
        }
    }
}

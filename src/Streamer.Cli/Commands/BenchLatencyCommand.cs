using System.CommandLine;
using System.Globalization;
using Streamer.Bench.Latency;
using Streamer.Cli.Reporting;
using Streamer.Streaming.Send;

namespace Streamer.Cli.Commands;

/// <summary>
/// <c>streamer bench latency</c>: streams a live tone from a sender to a receiver (both here over loopback, or from
/// <c>--server HOST:PORT</c>, which may be a proxy) and reports the latency of every stage, end to end, RFC 3550
/// jitter, loss and underruns; as a table, <c>--json</c>, <c>--csv</c>, and a chart with <c>--plot</c>.
/// </summary>
internal static class BenchLatencyCommand
{
    public static Command Create()
    {
        var codec = new CodecArguments();
        var playback = new PlaybackArguments();
        var seconds = new Option<double>("--seconds")
        {
            Description = "Audio to stream, warm-up included: 10, 10s or 1.5m (a bare number is seconds)",
            HelpName = "DURATION",
            DefaultValueFactory = _ => 10,
            CustomParser = OptionParsers.Seconds,
        };
        var warmup = OptionParsers.DurationOption("--warmup", "Leave the first stretch out of the figures (connect, buffer fill), e.g. 500ms", TimeSpan.FromMilliseconds(500), TimeSpan.Zero);
        var server = new Option<string?>("--server") { Description = "Receive from this server (or a proxy in front of one) instead of the bench's own sender: only the receiver's stages are measured", HelpName = "HOST:PORT" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (schema: docs/bench.md)" };
        var csv = new Option<bool>("--csv") { Description = "Print CSV, one row per stage" };
        var plot = new Option<string?>("--plot") { Description = "Write a PNG: each stage's latency over time and its histogram", HelpName = "FILE.png" };
        var keep = new Option<string?>("--keep") { Description = "Write the source's audio to DIR/input.wav and what the output played to DIR/output.wav", HelpName = "DIR" };
        var command = new Command("latency", "Measure latency per stage (source read, encode, send queue, wire, receive, decode, jitter buffer, output), end to end, and jitter")
        {
            seconds, warmup, server, json, csv, plot, keep,
        };
        codec.AddTo(command);
        command.Options.Add(playback.JitterMs);
        command.Options.Add(playback.JitterStrategy);
        command.Options.Add(playback.MinJitterMs);
        command.Options.Add(playback.MaxJitterMs);
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            if (parse.GetValue(json) && parse.GetValue(csv))
            {
                throw new CliException(ExitCodes.BadInput, "--json and --csv exclude each other: pick one");
            }

            double window = parse.GetValue(seconds);
            if (double.IsNaN(window) || window < 1 || window > 24 * 3600)
            {
                throw new CliException(ExitCodes.BadInput, string.Create(CultureInfo.InvariantCulture, $"--seconds must be from 1 s to a day, not {window}"));
            }

            var (audioCodec, codecOptions) = codec.Build(parse);
            string? plotPath = CheckedFile(parse.GetValue(plot), "--plot");
            string? keepDir = parse.GetValue(keep);
            if (keepDir is not null && File.Exists(keepDir))
            {
                throw new CliException(ExitCodes.BadInput, $"--keep '{keepDir}': that is a file, not a directory");
            }

            using var progress = BenchProgress.For(parse, "bench latency", window);
            var options = new LatencyBenchOptions
            {
                Codec = audioCodec,
                CodecOptions = codecOptions,
                Jitter = playback.BuildJitter(parse),
                Duration = TimeSpan.FromSeconds(window),
                Warmup = parse.GetValue(warmup),
                Server = parse.GetValue(server) is { } text ? CommonOptions.ParseEndpoint(text, StreamServerOptions.DefaultPort) : null,
                KeepDirectory = keepDir,
                Progress = progress,
            };
            // The in-process server's and client's info lines would interleave with the report: only with -v.
            var report = await LatencyBench.RunAsync(options, cancellationToken, parse.GetValue(GlobalOptions.Verbose) ? loggers : null);
            progress?.Dispose();
            // The report first: a chart that cannot be drawn must not lose the measurement.
            string output = parse.GetValue(json) ? LatencyReportWriter.Json(report) : parse.GetValue(csv) ? LatencyReportWriter.Csv(report) : LatencyReportWriter.Text(report);
            await Console.Out.WriteAsync(output);
            await Console.Out.FlushAsync(cancellationToken);
            if (plotPath is not null)
            {
                PlotFile.Save(plotPath, path => LatencyPlot.Save(report, path));
            }

            if (report.Stage(LatencyStage.EndToEnd) is not { Count: > 0 })
            {
                throw new CliException(ExitCodes.Failure, $"no frame was measured end to end from {report.Target} (is the stream shorter than --warmup?)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A file to write, in a directory that exists; bad paths are bad input, named.</summary>
    internal static string? CheckedFile(string? path, string option)
    {
        if (path is null)
        {
            return null;
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new CliException(ExitCodes.BadInput, $"{option} '{path}': directory '{directory}' does not exist");
        }

        return path;
    }
}

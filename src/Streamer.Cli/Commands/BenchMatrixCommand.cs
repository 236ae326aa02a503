using System.CommandLine;
using System.Globalization;
using Streamer.Bench.Matrix;
using Streamer.Bench.Proxy;
using Streamer.Cli.Reporting;
using Streamer.Streaming;

namespace Streamer.Cli.Commands;

/// <summary>
/// <c>streamer bench matrix --codec pcm --codec opus:64 --condition clean --condition 4g</c>: one latency bench per
/// codec and condition, the receiver behind an in-process proxy with that condition; one scorecard, JSON, CSV, PNG.
/// </summary>
internal static class BenchMatrixCommand
{
    public static Command Create()
    {
        var codecs = new Option<string[]>("--codec", "-c") { Description = "A codec column, NAME or NAME:KBPS (pcm, opus:64, opus:24); repeat for more. Default pcm, opus:64", HelpName = "CODEC", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
        var conditions = new Option<string[]>("--condition") { Description = "A network condition row: " + string.Join(", ", ConditionProfiles.Names) + "; repeat for more. Default clean, 4g", HelpName = "NAME", Arity = ArgumentArity.OneOrMore };
        var seconds = new Option<double>("--seconds") { Description = "Audio per cell, warm-up included: 10, 10s or 1m (a bare number is seconds)", HelpName = "DURATION", DefaultValueFactory = _ => 10, CustomParser = OptionParsers.Seconds };
        var frameMs = new Option<double>("--frame-ms") { Description = "Audio per packet for every codec: 20 (a bare number is ms)", HelpName = "MS", DefaultValueFactory = _ => 20, CustomParser = OptionParsers.Milliseconds };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (schema: docs/bench.md)" };
        var csv = new Option<bool>("--csv") { Description = "Print CSV, one row per cell" };
        var plot = new Option<string?>("--plot") { Description = "Write a PNG comparing the cells: end-to-end p99/p50, buffer wait, underruns and concealed ms, SNR", HelpName = "FILE.png" };
        var keep = new Option<string?>("--keep") { Description = "Keep each cell's audio: DIR/CODEC-CONDITION/input.wav (the tone sent) and output.wav (what was played), e.g. DIR/opus-64-4g", HelpName = "DIR" };
        var playback = new PlaybackArguments();
        var command = new Command("matrix", "Run every codec under every network condition through the proxy and compare them in one scorecard")
        {
            codecs, conditions, seconds, frameMs, json, csv, plot, keep,
        };
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
            if (double.IsNaN(window) || window < 2 || window > 3600)
            {
                throw new CliException(ExitCodes.BadInput, string.Create(CultureInfo.InvariantCulture, $"--seconds must be from 2 s to an hour, not {window}"));
            }

            double frame = parse.GetValue(frameMs);
            var columns = new List<MatrixCodec>();
            foreach (string text in parse.GetValue(codecs) is { Length: > 0 } given ? given : ["pcm", "opus:64"])
            {
                if (!MatrixCodec.TryParse(text, CodecRegistry.Default, frame, out var codec, out string error))
                {
                    throw new CliException(ExitCodes.BadInput, error);
                }

                columns.Add(codec);
            }

            var rows = new List<(string, NetworkConditions)>();
            foreach (string text in parse.GetValue(conditions) is { Length: > 0 } given ? given : ["clean", "4g"])
            {
                if (!ConditionProfiles.TryGet(text, out var condition))
                {
                    throw new CliException(ExitCodes.BadInput, $"--condition: '{text}' is not a condition (say {string.Join(", ", ConditionProfiles.Names)})");
                }

                rows.Add((text.Trim().ToLowerInvariant(), condition));
            }

            string? plotPath = BenchLatencyCommand.CheckedFile(parse.GetValue(plot), "--plot");
            string? keepDir = parse.GetValue(keep);
            if (keepDir is not null && File.Exists(keepDir))
            {
                throw new CliException(ExitCodes.BadInput, $"--keep '{keepDir}': that is a file, not a directory");
            }

            var jitter = playback.BuildJitter(parse);
            using var progress = BenchProgress.For(parse, "bench matrix", window * columns.Count * rows.Count);
            var cells = await BenchMatrix.RunAsync(
                columns,
                rows,
                TimeSpan.FromSeconds(window),
                jitter,
                progress is null ? null : new Progress<(string Cell, double Done)>(p => progress.Report(p.Done)),
                cancellationToken,
                parse.GetValue(GlobalOptions.Verbose) ? loggers : null,
                keepDir);
            progress?.Dispose();
            // The scorecard first: minutes of measurement must not be lost to a chart that cannot be drawn.
            string output = parse.GetValue(json) ? MatrixReportWriter.Json(cells) : parse.GetValue(csv) ? MatrixReportWriter.Csv(cells) : MatrixReportWriter.Text(cells);
            await Console.Out.WriteAsync(output);
            await Console.Out.FlushAsync(cancellationToken);
            if (plotPath is not null)
            {
                PlotFile.Save(plotPath, path => MatrixPlot.Save(cells, path));
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}

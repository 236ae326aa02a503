using System.CommandLine;
using Streamer.Bench;
using Streamer.Bench.Replay;
using Streamer.Bench.Trace;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;

namespace Streamer.Cli.Commands;

/// <summary>
/// <c>streamer bench replay FILE --strategy fixed:40 --strategy adaptive …</c>: plays one recorded trace
/// (<c>play --record-trace</c>) through each jitter-buffer strategy on a simulated clock and prints a scorecard.
/// </summary>
internal static class BenchReplayCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A trace written by 'streamer play --record-trace FILE'" };
        var strategies = new Option<string[]>("--strategy")
        {
            Description = $"A jitter strategy to score, repeatable: {TargetDelayPolicies.Usage} (default: fixed:40, adaptive, adaptive:p99)",
            HelpName = "NAME",
            AllowMultipleArgumentsPerToken = false,
        };
        var playback = new PlaybackArguments();
        var block = new Option<double?>("--block-ms")
        {
            Description = "The simulated output's block; default a quarter of the smallest target, 2.5 to 10 ms, as play's",
            HelpName = "MS",
            CustomParser = OptionParsers.MillisecondsOrNone,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (schema: docs/bench.md)" };
        var keep = new Option<string?>("--keep") { Description = "Write the stream as sent (a 440 Hz tone) to DIR/input.wav and what each strategy played to DIR/STRATEGY.wav (fixed-40.wav)", HelpName = "DIR" };
        var command = new Command("replay", "Play one recorded arrival trace through each jitter-buffer strategy on a simulated clock and compare them")
        {
            file, strategies, playback.MinJitterMs, playback.MaxJitterMs, block, json, keep,
        };
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            string path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliException(ExitCodes.BadInput, $"{path}: no such trace file");
            }

            ArrivalTrace trace;
            try
            {
                trace = ArrivalTrace.Read(path);
            }
            catch (InvalidDataException ex)
            {
                throw new CliException(ExitCodes.BadInput, ex.Message);
            }

            var jitter = playback.BuildJitter(parse);
            if (parse.GetValue(block) is { } ms && (ms < 0.5 || ms > 1000))
            {
                throw new CliException(ExitCodes.BadInput, $"--block-ms must be from 0.5 to 1000, not {ms}");
            }

            string[] names = parse.GetValue(strategies) is { Length: > 0 } given ? given : ["fixed:40", "adaptive", "adaptive:p99"];
            string? keepDir = parse.GetValue(keep);
            if (keepDir is not null)
            {
                if (File.Exists(keepDir))
                {
                    throw new CliException(ExitCodes.BadInput, $"--keep '{keepDir}': that is a file, not a directory");
                }

                Directory.CreateDirectory(keepDir);
                await using var input = new WavFileOutput(Path.Combine(keepDir, "input.wav"));
                JitterReplay.WriteSent(trace, input);
            }

            var scores = new List<ReplayScore>();
            foreach (string name in names)
            {
                var played = keepDir is null ? null : new WavFileOutput(Path.Combine(keepDir, KeptFileNames.Of(name) + ".wav"));
                try
                {
                    scores.Add(JitterReplay.Run(trace, name, jitter, parse.GetValue(block), played));
                }
                catch (ArgumentException ex)
                {
                    throw new CliException(ExitCodes.BadInput, $"--strategy: {ex.Message}");
                }
                finally
                {
                    if (played is not null)
                    {
                        await played.DisposeAsync();
                    }
                }
            }

            await Console.Out.WriteAsync(parse.GetValue(json) ? ReplayReportWriter.Json(trace, scores) : ReplayReportWriter.Text(trace, scores));
            await Console.Out.FlushAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}

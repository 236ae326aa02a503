using System.CommandLine;
using Streamer.Bench;
using Streamer.Cli.Reporting;
using Streamer.Codecs.Opus;
using Streamer.Media.Codecs;
using Streamer.Streaming;

namespace Streamer.Cli.Commands;

/// <summary>
/// <c>streamer bench codecs FILE.wav</c>: encodes and decodes the file with each codec and setting and prints one
/// row each (bitrate, speed, SNR after alignment, delay, packet sizes, allocation and GC per minute of audio).
/// </summary>
internal static class BenchCodecsCommand
{
    private const double DefaultKbps = 64;

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "WAV file to encode and decode" };
        var codecs = new Option<string[]>("--codec", "-c")
        {
            Description = "Codec to measure (repeatable): " + string.Join(", ", CodecRegistry.Default.Names) + ", " + OpusToolBench.Name + "; default: all",
            AllowMultipleArgumentsPerToken = true,
        };
        var bitrates = new Option<double[]>("--bitrate")
        {
            Description = CodecArguments.BitrateHelp + ". For codecs that take one; repeatable, one row each; default 64k",
            HelpName = "RATE",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = OptionParsers.Bitrates,
        };
        var frameMs = new Option<double>("--frame-ms")
        {
            Description = "Audio per packet: 20, 20ms or 0.02s (a bare number is ms)",
            HelpName = "MS",
            DefaultValueFactory = _ => 20,
            CustomParser = OptionParsers.Milliseconds,
        };
        var cbr = new Option<bool>("--cbr") { Description = "Opus (and opusenc) at constant bitrate instead of VBR" };
        var json = new Option<bool>("--json") { Description = "Print a JSON array of rows" };
        var csv = new Option<bool>("--csv") { Description = "Print CSV" };
        var command = new Command("codecs", "Encode and decode a WAV file with each codec: bitrate, speed, SNR, delay, packet sizes")
        {
            file, codecs, bitrates, frameMs, cbr, json, csv,
        };
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            if (parse.GetValue(json) && parse.GetValue(csv))
            {
                throw new CliException(ExitCodes.BadInput, "--json and --csv exclude each other: pick one");
            }

            string[] names = parse.GetValue(codecs) is { Length: > 0 } chosen ? chosen : [.. CodecRegistry.Default.Names, OpusToolBench.Name];
            double[] rates = parse.GetValue(bitrates) is { Length: > 0 } given ? given : [DefaultKbps];
            foreach (string name in names)
            {
                if (name != OpusToolBench.Name)
                {
                    CodecRegistry.Default.Get(name);
                }
            }

            foreach (double rate in rates)
            {
                if (double.IsNaN(rate) || rate <= 0 || rate > 100_000)
                {
                    throw new CliException(ExitCodes.BadInput, $"--bitrate must be a positive number of kbit/s, not {rate}");
                }
            }

            string path = parse.GetValue(file)!;
            var clip = await PcmClip.LoadAsync(path, cancellationToken);
            if (clip.Frames == 0)
            {
                throw new CliException(ExitCodes.BadInput, $"{path}: no audio to measure");
            }

            var options = new CodecOptions { FrameMilliseconds = parse.GetValue(frameMs), Vbr = parse.GetValue(cbr) ? false : null };
            var rows = new List<CodecBenchRow>();
            using (var progress = BenchProgress.ForSteps(parse, "bench codecs", names.Length, "codecs"))
            {
                for (int i = 0; i < names.Length; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report((double)i / names.Length);
                    await MeasureAsync(rows, names[i], clip, options, rates, cancellationToken);
                }
            }

            var logger = loggers.CreateLogger("Streamer.Bench");
            foreach (var row in rows)
            {
                if (double.IsNaN(row.Kbps) && row.Note is not null)
                {
                    CodecLog.BenchSkipped(logger, row.Codec, row.Note);
                }
            }

            string report = parse.GetValue(json) ? CodecBenchReport.Json(rows) : parse.GetValue(csv) ? CodecBenchReport.Csv(rows) : CodecBenchReport.Table(rows);
            await Console.Out.WriteAsync(report);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task MeasureAsync(List<CodecBenchRow> rows, string name, PcmClip clip, CodecOptions options, double[] rates, CancellationToken cancellationToken)
    {
        if (name == OpusToolBench.Name)
        {
            foreach (double rate in rates)
            {
                rows.Add(await OpusToolBench.RunAsync(clip, clip.Name, (int)Math.Round(rate * 1000), options.Vbr == false, cancellationToken));
            }

            return;
        }

        var codec = CodecRegistry.Default.Get(name);
        bool takesBitrate = codec is OpusCodec;
        foreach (double rate in takesBitrate ? rates : [double.NaN])
        {
            var settings = double.IsNaN(rate) ? options : options with { Bitrate = (int)Math.Round(rate * 1000) };
            try
            {
                rows.Add(CodecBench.Run(clip, codec, settings));
            }
            catch (CodecException ex) when (codec is OpusCodec { Name: OpusCodec.NativeName })
            {
                // A missing libopus skips its row: the rest of the table still says something.
                rows.Add(CodecBenchRow.Skipped(name, string.Empty, ex.Message));
            }
        }
    }
}

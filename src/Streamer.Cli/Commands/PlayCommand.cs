using System.CommandLine;
using Streamer.Audio.Playback;
using Streamer.Audio.Streaming;

namespace Streamer.Cli.Commands;

internal static class PlayCommand
{
    public static Command Create()
    {
        var server = new Argument<string>("HOST:PORT") { Description = "Server to play from, e.g. localhost:9611 or [::1]:9611" };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Where the audio goes: a .wav file, a .opus file (Opus streams: packets stored as received), 'null' (discard), '-' (raw PCM to stdout) or 'device'",
            DefaultValueFactory = _ => OutputSelector.Device,
        };
        var jitter = new Option<double>("--jitter-ms") { Description = "Jitter buffer target in ms", DefaultValueFactory = _ => 40 };
        var stats = new Option<string?>("--stats") { Description = "Write the final statistics to this JSON file" };

        var command = new Command("play", "Connect to a server and play its stream to the end") { server, output, jitter, stats };
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            var endpoint = CommonOptions.ParseEndpoint(parse.GetValue(server)!, StreamServerOptions.DefaultPort);
            double jitterMs = parse.GetValue(jitter);
            if (jitterMs is < 0 or > 10_000 || double.IsNaN(jitterMs))
            {
                throw new CliException(ExitCodes.BadInput, "--jitter-ms must be from 0 to 10000");
            }

            var runner = new PlaybackRunner
            {
                Output = parse.GetValue(output)!,
                Jitter = new JitterBufferOptions { TargetMilliseconds = jitterMs },
                StatsPath = parse.GetValue(stats),
                ShowStatus = !parse.GetValue(GlobalOptions.Quiet),
            };
            await runner.RunAsync(endpoint, loggers, cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}

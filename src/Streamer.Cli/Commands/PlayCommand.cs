using System.CommandLine;
using Streamer.Streaming.Receive.Http;
using Streamer.Streaming.Send;

namespace Streamer.Cli.Commands;

internal static class PlayCommand
{
    public static Command Create()
    {
        var server = new Argument<string>("HOST:PORT") { Description = "Server to play from, e.g. localhost:9611 or [::1]:9611, or an Ogg Opus HTTP stream such as http://host:8000/live.opus (an Icecast mount)" };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Where the audio goes: a .wav file, a .opus file (Opus streams: packets stored as received), 'null' (discard), 'paced-null' (discard at the real-time rate, pulled like a sound card: measures latency and underruns without one), '-' (raw PCM to stdout) or 'device'",
            DefaultValueFactory = _ => OutputSelector.Device,
        };
        var playback = new PlaybackArguments();
        var stats = new Option<string?>("--stats") { Description = "Write the final statistics to this JSON file" };
        var trace = TraceRecording.CreateOption();

        var command = new Command("play", "Connect to a server and play its stream to the end") { server, output, stats, trace };
        playback.AddTo(command);
        playback.AddPlayOnlyTo(command);
        var security = new Security.ClientSecurityOptions();
        security.AddTo(command);
        var metrics = new Metrics.MetricsOptions();
        metrics.AddTo(command);
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            using var metricsEndpoint = metrics.Start(parse, loggers);
            string address = parse.GetValue(server)!;
            bool http = HttpStreamClient.IsHttpUrl(address, out var url);
            var endpoint = http ? default : CommonOptions.ParseEndpoint(address, StreamServerOptions.DefaultPort);
            string outputSpec = parse.GetValue(output)!;
            var jitter = playback.BuildJitter(parse);
            jitter.Synchronize = !parse.GetValue(playback.NoSync);
            var secured = security.Build(parse);
            if (http && secured.Tls is not null && url!.Scheme == Uri.UriSchemeHttp)
            {
                throw new CliException(ExitCodes.BadInput, "--tls options need an https:// URL for an HTTP stream");
            }

            var runner = new PlaybackRunner
            {
                Output = outputSpec,
                Url = url,
                Jitter = jitter,
                CardPpm = playback.BuildCardPpm(parse, outputSpec),
                PlayoutLogPath = playback.BuildPlayoutLog(parse, outputSpec),
                Duration = parse.GetValue(playback.Duration),
                Device = parse.GetValue(playback.Device),
                StallTimeout = parse.GetValue(playback.StallTimeout),
                StatsPath = parse.GetValue(stats),
                TracePath = BenchLatencyCommand.CheckedFile(parse.GetValue(trace), "--record-trace"),
                Security = secured,
                ShowStatus = !parse.GetValue(GlobalOptions.Quiet),
            };
            await runner.RunAsync(endpoint, loggers, cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}

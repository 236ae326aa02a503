using System.CommandLine;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Sources;
using Streamer.Streaming.Send;
using Streamer.Transport;

namespace Streamer.Cli.Commands;

/// <summary>Serves the built-in test signal on loopback and plays it back in the same process.</summary>
internal static class DemoCommand
{
    public const string DefaultWavPath = "streamer-demo.wav";

    public static Command Create()
    {
        var seconds = new Option<double>("--seconds")
        {
            Description = "Length of the test signal: 3, 3s, 500ms or 1.5m (a bare number is seconds)",
            HelpName = "DURATION",
            DefaultValueFactory = _ => 3,
            CustomParser = OptionParsers.Seconds,
        };
        var output = new Option<string?>("--output", "-o") { Description = $"Where to play: 'device' (default when a sound card is there), a .wav file (default {DefaultWavPath}), 'null'" };
        var codec = new CodecArguments();
        var playback = new PlaybackArguments();
        var command = new Command("demo", "Stream a built-in two-tone test signal over loopback TCP and play it back") { seconds, output };
        codec.AddTo(command);
        playback.AddTo(command);
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            double length = parse.GetValue(seconds);
            if (length is <= 0 or > 3600 || double.IsNaN(length))
            {
                throw new CliException(ExitCodes.BadInput, "--seconds must be more than 0 and at most 3600");
            }

            var (audioCodec, codecOptions) = codec.Build(parse);
            var jitter = playback.BuildJitter(parse);
            string target = parse.GetValue(output) ?? (DeviceOutputSupport.Missing() is null ? OutputSelector.Device : DefaultWavPath);
            // With raw PCM on stdout, stdout is data: what the demo says goes to stderr.
            var report = target == OutputSelector.StandardOutput ? Console.Error : Console.Out;
            if (parse.GetValue(output) is null && target == DefaultWavPath)
            {
                await report.WriteLineAsync($"No audio device here ({DeviceOutputSupport.Missing()}); playing to {Path.GetFullPath(DefaultWavPath)} instead.");
            }

            byte[] signal = TestSignal.CreateWav(length);
            var sources = new FrameSourceFactory(ct => WavFileSource.OpenAsync(new MemoryStream(signal, writable: false), "test signal", ct), audioCodec, codecOptions);
            using var serverLoggers = ServerLoggers(loggers, parse);
            await using var server = new StreamServer(IPAddress.Loopback.ToString(), 0, sources, new StreamServerOptions(), serverLoggers);
            using var stopServer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var serving = server.RunAsync(stopServer.Token);
            await report.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Serving a {length:0.##} s two-tone test signal ({TestSignal.FirstToneHz} Hz + {TestSignal.SecondToneHz} Hz, 48000 Hz stereo s16) as {audioCodec.Name} on 127.0.0.1:{server.LocalEndPoint.Port}, realtime pacing"));
            var runner = new PlaybackRunner
            {
                Output = target,
                Jitter = jitter,
                Device = parse.GetValue(playback.Device),
                StallTimeout = parse.GetValue(playback.StallTimeout),
                ShowStatus = !parse.GetValue(GlobalOptions.Quiet),
            };
            try
            {
                var stream = await runner.RunAsync(new HostPort("127.0.0.1", server.LocalEndPoint.Port), loggers, cancellationToken);
                await report.WriteLineAsync($"Played to {stream.OutputDescription}.");
                if (target.EndsWith(".wav", StringComparison.OrdinalIgnoreCase))
                {
                    await report.WriteLineAsync($"Listen with: play {target}   (or: aplay {target}, ffplay {target})");
                }
            }
            finally
            {
                await stopServer.CancelAsync();
                await serving;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    // The demo's own server logs only problems unless asked for more: its connection chatter is noise here.
    private static ILoggerFactory ServerLoggers(ILoggerFactory loggers, ParseResult parse)
    {
        var level = parse.GetValue(GlobalOptions.Verbose) ? LogLevel.Trace : LogLevel.Warning;
        return LoggerFactory.Create(b => b.SetMinimumLevel(level).AddProvider(new ForwardingProvider(loggers)));
    }

    private sealed class ForwardingProvider(ILoggerFactory inner) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => inner.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}

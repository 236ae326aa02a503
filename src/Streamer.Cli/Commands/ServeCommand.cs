using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Sources;
using Streamer.Streaming;
using Streamer.Streaming.Send;
using Streamer.Transport;

namespace Streamer.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "WAV file to stream (PCM 8/16/24/32-bit or float 32/64, 1 to 64 channels)" };
        var host = CommonOptions.Host("Address to listen on; '*' means every IPv4 and IPv6 address");
        var port = CommonOptions.Port(StreamServerOptions.DefaultPort, "TCP port to listen on (0 picks a free one)");
        var codec = new CodecArguments();
        var pace = new Option<PacingMode>("--pace")
        {
            Description = "realtime: send on the audio clock, as a live source; asap: as fast as the client takes it",
            HelpName = "realtime|asap",
            DefaultValueFactory = _ => PacingMode.Realtime,
            CustomParser = OptionParsers.Pacing,
        };
        var loop = new Option<bool>("--loop") { Description = "Start again at the end of the file, until stopped" };
        var latency = new Option<int>("--latency-ms") { Description = "Each frame is heard at every listener this long after capture (synchronized playout; 0 sends no presentation times)", HelpName = "MS", DefaultValueFactory = _ => (int)StreamServerOptions.DefaultLatency.TotalMilliseconds, CustomParser = OptionParsers.IntegerFrom(0, 10_000) };
        var maxClients = new Option<int>("--max-clients") { Description = "Most clients served at once (connections still sending their hello wait apart and never count)", HelpName = "N", DefaultValueFactory = _ => 64, CustomParser = OptionParsers.IntegerFrom(1, 100_000) };

        var command = new Command("serve", "Stream a WAV file to every client that connects, each from the start")
        {
            file, host, port, pace, loop, maxClients, latency,
        };
        codec.AddTo(command);
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            string path = parse.GetValue(file)!;
            var (audioCodec, codecOptions) = codec.Build(parse);

            var logger = loggers.CreateLogger("Streamer.Serve");

            // Check the file and the codec settings before listening: bad input exits 2 at once.
            TimeSpan duration;
            await using (var check = await WavFile.OpenAsync(path, cancellationToken))
            {
                using (var encoder = audioCodec.CreateEncoder(check.Format, codecOptions))
                {
                    LogCodec(logger, path, check.Format, audioCodec, encoder);
                }

                duration = check.Header.DataLength < 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)check.Header.DataLength / check.Format.BytesPerSecond);
                if (check.Header.Warning is { } warning)
                {
                    StreamingLog.SourceWarning(logger, path, warning);
                }

                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{path}: {check.Format}, {duration.TotalSeconds:0.00} s"));
            }

            var options = new StreamServerOptions
            {
                Pacing = parse.GetValue(pace),
                Loop = parse.GetValue(loop),
                MaxClients = parse.GetValue(maxClients),
                Latency = parse.GetValue(latency) is > 0 and var ms ? TimeSpan.FromMilliseconds(ms) : null,
            };
            if (options.Pacing == PacingMode.Asap)
            {
                // Bulk: the session reads and frames ahead (up to 1 MiB) on one thread while another sends, so the
                // file's copy and the socket's copy use both cores (docs/performance.md).
                options.Connection.SendBufferBytes = null;
                options.Connection.SendInParallel = true;
                options.Connection.MaxOutputBufferBytes = 1024 * 1024;
            }

            var sources = new FrameSourceFactory(ct => WavFileSource.OpenAsync(path, ct), audioCodec, codecOptions);
            string hostText = parse.GetValue(host)!;
            int portNumber = parse.GetValue(port);
            StreamServer server;
            try
            {
                server = new StreamServer(hostText, portNumber, sources, options, loggers);
            }
            catch (SocketException ex)
            {
                throw new CliException(ExitCodes.Failure, $"cannot listen on {new HostPort(hostText, portNumber)}: {NetworkErrors.Describe(ex.SocketErrorCode)}");
            }

            await using (server)
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Serving on port {server.LocalEndPoint.Port} ({audioCodec.Name}, {options.Pacing.ToString().ToLowerInvariant()} pacing{(options.Loop ? ", looping" : string.Empty)}). Ctrl+C stops."));
                await Console.Out.FlushAsync(cancellationToken);
                await server.RunAsync(cancellationToken);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void LogCodec(ILogger logger, string path, Media.AudioFormat source, Media.Codecs.IAudioCodec codec, Media.Codecs.IAudioEncoder encoder)
    {
        if (encoder.InputFormat != source && codec.PayloadKind != Media.Codecs.CodecPayloadKind.RawPcm)
        {
            Media.Codecs.CodecLog.Converting(logger, path, source, encoder.InputFormat, codec.Name);
        }

        if (encoder.Parameters.Count > 0)
        {
            Media.Codecs.CodecLog.EncoderSettings(logger, codec.Name, string.Join(", ", encoder.Parameters.Select(p => p.Key + "=" + p.Value)));
        }
    }
}

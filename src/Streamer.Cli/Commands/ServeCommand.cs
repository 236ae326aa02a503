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
        var input = new Argument<string?>("INPUT")
        {
            Description = "What to stream: a WAV file (PCM 8/16/24/32-bit or float 32/64, 1 to 64 channels), '-' (standard input), a FIFO path, 'device' (capture) or 'tone' (see docs/inputs.md)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var host = CommonOptions.Host("Address to listen on; '*' means every IPv4 and IPv6 address");
        var port = CommonOptions.Port(StreamServerOptions.DefaultPort, "TCP port to listen on (0 picks a free one)");
        var codec = new CodecArguments();
        var mode = new Option<string?>("--mode")
        {
            Description = "on-demand: each client hears a file from its start (the default for a file); broadcast: one shared stream, encoded once, every client at the live edge (always, for a live input)",
            HelpName = "on-demand|broadcast",
        };
        mode.AcceptOnlyFromAmong("on-demand", "broadcast");
        var pace = new Option<PacingMode>("--pace")
        {
            Description = "realtime: send on the audio clock, as a live source; asap: as fast as the client takes it (on-demand only)",
            HelpName = "realtime|asap",
            DefaultValueFactory = _ => PacingMode.Realtime,
            CustomParser = OptionParsers.Pacing,
        };
        var loop = new Option<bool>("--loop") { Description = "Start again at the end of the file, until stopped" };
        var burst = new Option<double>("--burst-ms")
        {
            Description = "Broadcast: recent audio a joining client gets at once, so its buffer fills without waiting (0: none)",
            HelpName = "MS",
            DefaultValueFactory = _ => new BroadcastOptions().Burst.TotalMilliseconds,
            CustomParser = OptionParsers.Milliseconds,
        };
        var latency = new Option<int?>("--latency-ms") { Description = "Each frame is heard at every listener this long after capture (synchronized playout). Default: 100 for a broadcast; none on demand, where each client has its own stream. 0: no presentation times", HelpName = "MS", CustomParser = r => (int?)OptionParsers.IntegerFrom(0, 10_000)(r) };
        var transport = ServerTransportOption.Create();
        var maxClients = new Option<int>("--max-clients") { Description = "Most clients served at once (connections still sending their hello wait apart and never count)", HelpName = "N", DefaultValueFactory = _ => StreamServerOptions.DefaultMaxClients, CustomParser = OptionParsers.IntegerFrom(1, 100_000) };

        var command = new Command("serve", "Stream a WAV file to every client that connects: each from the start, or as one shared broadcast")
        {
            input, host, port, mode, pace, loop, burst, maxClients, latency, transport,
        };
        codec.AddTo(command);
        var security = new Security.ServerSecurityOptions();
        security.AddTo(command);
        var inputs = new Inputs.InputArguments();
        inputs.AddTo(command);
        var metrics = new Metrics.MetricsOptions();
        metrics.AddTo(command);
        var web = new ServeWebArguments();
        web.AddTo(command);
        var icecast = new IcecastArguments();
        icecast.AddTo(command);
        var chat = new ServeChatArguments();
        chat.AddTo(command);
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            var (audioCodec, codecOptions) = codec.Build(parse);
            var logger = loggers.CreateLogger("Streamer.Serve");

            // Check the input and the codec settings before listening: bad input exits 2 at once.
            var spec = Inputs.InputSelector.Select(parse, inputs, parse.GetValue(input));
            // Until the broadcast takes a live input, disposing this releases it: every failure below (a port in
            // use, a bad option) closes the FIFO, the device or stdin on its way out.
            await using var source = await OpenInputAsync(spec, logger, cancellationToken);
            CheckCodec(source, audioCodec, codecOptions, logger);
            var streamMode = parse.GetValue(mode) switch
            {
                "broadcast" => StreamMode.Broadcast,
                "on-demand" => StreamMode.OnDemand,
                // The tone is the engine-paced test signal: one shared stream by default, so listeners can be compared.
                _ => source.IsLive || spec.Kind == Inputs.InputKind.Tone || web.Requested(parse) ? StreamMode.Broadcast : StreamMode.OnDemand,
            };
            if (web.Requested(parse) && streamMode == StreamMode.OnDemand)
            {
                throw new CliException(ExitCodes.BadInput, "--http-port streams one live broadcast; --mode on-demand gives each client its own (use --mode broadcast)");
            }
            if (source.IsLive && streamMode == StreamMode.OnDemand)
            {
                throw new CliException(ExitCodes.BadInput, $"{source.Name}: a live input is one stream for everyone; --mode on-demand needs a file");
            }

            var icecastTarget = icecast.Build(parse, streamMode);
            double burstMs = parse.GetValue(burst);
            if (burstMs < 0 || burstMs > 10_000)
            {
                throw new CliException(ExitCodes.BadInput, string.Create(CultureInfo.InvariantCulture, $"--burst-ms: {burstMs} is not from 0 to 10000"));
            }

            var options = new StreamServerOptions
            {
                Mode = streamMode,
                Pacing = parse.GetValue(pace),
                Loop = parse.GetValue(loop),
                MaxClients = parse.GetValue(maxClients),
                Latency = parse.GetValue(latency) is int ms ? TimeSpan.FromMilliseconds(ms) : null,
            };
            options.Broadcast.Burst = TimeSpan.FromMilliseconds(burstMs);
            // A live input keeps its own time (the device, the writer); a file is paced by the engine.
            options.Broadcast.PaceByEngine = !source.IsLive;
            if (streamMode == StreamMode.Broadcast && options.Pacing == PacingMode.Asap)
            {
                throw new CliException(ExitCodes.BadInput, "--pace asap sends as fast as one client takes it; a broadcast goes at the audio clock (use --mode on-demand)");
            }

            if (options.Pacing == PacingMode.Asap)
            {
                // Bulk: the session reads and frames ahead (up to 1 MiB) on one thread while another sends, so the
                // file's copy and the socket's copy use both cores (docs/performance.md).
                options.Connection.SendBufferBytes = null;
                options.Connection.SendInParallel = true;
                options.Connection.MaxOutputBufferBytes = 1024 * 1024;
            }
            else if (streamMode == StreamMode.Broadcast)
            {
                // A listener's queue beyond the kernel's: it bounds memory per listener, and a listener that cannot
                // keep up is found out (its flush waits) while it is at most this far behind (docs/streaming.md).
                options.Connection.MaxOutputBufferBytes = BroadcastOutputBufferBytes;
                // An idle listener holds no receive buffer (it sends only pings), and one whose send is in progress
                // holds a 4 KiB block, not 64 KiB: memory per listener (docs/streaming.md).
                options.Connection.WaitForDataBeforeAllocatingBuffer = true;
                options.Connection.OutputSegmentBytes = 4 * 1024;
            }

            // A looping broadcast is one endless source (one encoder); on demand, each pass opens the file again.
            Func<CancellationToken, Task<IAudioSource>> open = streamMode == StreamMode.Broadcast && options.Loop && !source.IsLive
                ? ct => LoopingSource.OpenAsync(source.Open, ct)
                : source.Open;
            var sources = new FrameSourceFactory(open, audioCodec, codecOptions);
            using var metricsEndpoint = metrics.Start(parse, loggers);
            string hostText = parse.GetValue(host)!;
            int portNumber = parse.GetValue(port);
            StreamServer server;
            try
            {
                server = new StreamServer(security.Apply(parse, options.Limits, () => ServerTransportOption.Listen(parse.GetValue(transport), hostText, portNumber, options.Limits, loggers), loggers), sources, options, loggers);
            }
            catch (SocketException ex)
            {
                throw new CliException(ExitCodes.Failure, $"cannot listen on {new HostPort(hostText, portNumber)}: {NetworkErrors.Describe(ex.SocketErrorCode)}");
            }

            await using (server)
            {
                // The web side binds before anything is announced: a bad --http-host or a port in use fails first.
                await using var chatSide = await chat.StartAsync(parse, hostText, security.AppliedTls, options.Limits.Tokens, loggers);
                await using var webSide = await web.StartAsync(parse, server, chatSide?.Server, security.AppliedTls, options.Limits.Tokens, loggers, cancellationToken);
                string how = streamMode == StreamMode.Broadcast ? "broadcast" : options.Pacing.ToString().ToLowerInvariant() + " pacing";
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Serving on port {server.LocalEndPoint.Port} ({audioCodec.Name}, {how}{(options.Loop ? ", looping" : string.Empty)}). Ctrl+C stops."));
                await Console.Out.FlushAsync(cancellationToken);
                var serving = server.RunAsync(cancellationToken);
                using var housekeepingStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var housekeeping = RuntimeHousekeeping.RunAsync(RuntimeHousekeeping.Period, housekeepingStop.Token);
                serving = chatSide?.RunWhileAsync(serving, cancellationToken) ?? serving;
                try
                {
                    await (icecastTarget is null ? serving : icecast.PublishWhileAsync(serving, parse, icecastTarget, server, webSide?.Ogg, loggers, cancellationToken));
                }
                finally
                {
                    await housekeepingStop.CancelAsync();
                    await housekeeping;
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A broadcast listener's output queue: 16 KiB, about 2 s of 64 kbit/s Opus or 85 ms of CD-quality PCM.</summary>
    private const int BroadcastOutputBufferBytes = 16 * 1024;

    /// <summary>
    /// Turns the INPUT argument into what the server streams, after checking it (bad input throws, exit 2): a WAV
    /// file, opened again for each on-demand client; a live input (stdin, a FIFO, a device) opened here once and held
    /// by the <see cref="ServeInput"/> until the broadcast takes it (<see cref="ServeInput.Open"/>, exactly once),
    /// reads it at its own pace (no engine pacing), disposes it at the end and ends every listener's stream.
    /// </summary>
    private static async Task<ServeInput> OpenInputAsync(Inputs.InputSpec spec, ILogger logger, CancellationToken cancellationToken)
    {
        if (spec.Kind == Inputs.InputKind.File && !spec.HasRawFormat)
        {
            string path = spec.Name;
            await using var check = await WavFile.OpenAsync(path, cancellationToken);
            var duration = check.Header.DataLength < 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)check.Header.DataLength / check.Format.BytesPerSecond);
            if (check.Header.Warning is { } warning)
            {
                StreamingLog.SourceWarning(logger, path, warning);
            }

            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{path}: {check.Format}, {duration.TotalSeconds:0.00} s"));
            return ServeInput.Reopenable(path, check.Format, ct => WavFileSource.OpenAsync(path, ct));
        }

        // A live input is opened once, before listening (bad input fails at once with one line), and read by the one
        // broadcast; the tone and a raw file open afresh each time (they are paced by the engine, like a file).
        var opened = await spec.OpenAsync(logger, cancellationToken);
        string length = spec.IsEndless ? "endless" : spec.IsLive ? "live, until the input ends" : string.Create(CultureInfo.InvariantCulture, $"{opened.TotalFrames / (double)opened.Format.SampleRate:0.00} s");
        await Console.Out.WriteLineAsync($"{spec.Name}: {opened.Format}, {length}");
        if (spec.IsLive)
        {
            return ServeInput.Live(spec.Name, opened);
        }

        await opened.DisposeAsync();
        return ServeInput.Reopenable(spec.Name, opened.Format, ct => spec.OpenAsync(logger, ct));
    }

    /// <summary>The codec settings against the input's format, before listening: a codec that cannot take it is bad input.</summary>
    private static void CheckCodec(ServeInput input, Media.Codecs.IAudioCodec codec, Media.Codecs.CodecOptions options, ILogger logger)
    {
        using var encoder = codec.CreateEncoder(input.Format, options);
        LogCodec(logger, input.Name, input.Format, codec, encoder);
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

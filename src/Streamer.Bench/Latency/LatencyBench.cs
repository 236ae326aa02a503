using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Outputs;
using Streamer.Media.Sources;
using Streamer.Protocol;
using Streamer.Streaming.Receive;
using Streamer.Streaming.Send;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Bench.Latency;

/// <summary>
/// <c>streamer bench latency</c>: streams a live tone from a sender to a receiver and times every frame through each
/// stage (<see cref="LatencyStage"/>). By default both ends run in this process over loopback: the real
/// <see cref="StreamServer"/> (a broadcast of the live tone, each frame sent as the source hands it out) and the real
/// <see cref="StreamClient"/> with its decoder and jitter buffer, played by a null output paced like a sound card.
/// The bench only wraps the parts it times (the source, the codec's encoder, the connection's input and the head of
/// the sink chain), so what it measures is the engine's own path.
/// </summary>
public static class LatencyBench
{
    /// <summary>The bench source's rate and channels when the codec takes any (PCM).</summary>
    private static readonly AudioFormat DefaultFormat = new(48_000, 2, SampleEncoding.Int16);

    /// <summary>Streams for <see cref="LatencyBenchOptions.Duration"/> and reports. Connection failures throw as <see cref="StreamClient.RunAsync"/> does.</summary>
    public static async Task<LatencyReport> RunAsync(LatencyBenchOptions options, CancellationToken cancellationToken, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggers ??= NullLoggerFactory.Instance;
        double frameMs = options.CodecOptions.FrameMilliseconds;
        var format = SourceFormat(options.Codec, options.CodecOptions);
        int frameSamples = (int)Math.Round(format.SampleRate * frameMs / 1000);
        long totalFrames = (long)Math.Round(options.Duration.TotalSeconds * format.SampleRate);
        var timeline = new StageTimeline((int)Math.Min(int.MaxValue, (totalFrames / Math.Max(1, frameSamples)) + 64), absoluteSequences: options.Server is null);
        if (options.KeepDirectory is { } keep)
        {
            Directory.CreateDirectory(keep);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = ReportProgressAsync(options.Progress, options.Duration, stop.Token);
        StreamServer? server = null;
        Task serving = Task.CompletedTask;
        IUnclockedOutput? input = null;
        try
        {
            HostPort target;
            if (options.Server is { } external)
            {
                target = external;
            }
            else
            {
                input = options.KeepDirectory is { } dir ? new WavFileOutput(Path.Combine(dir, "input.wav")) : null;
                input?.Open(format);
                Action<ReadOnlySpan<byte>>? kept = input is null ? null : input.Write;
                var sources = new FrameSourceFactory(
                    _ => Task.FromResult<IAudioSource>(new PacedToneSource(format, totalFrames, frameSamples * 2, timeline, kept)),
                    new TimingCodec(options.Codec, timeline),
                    options.CodecOptions);
                // A broadcast of a live input, as serve runs one (the input keeps its own time: each frame is encoded
                // once, published and flushed to the listener as it comes), with no burst on connect (the listener
                // starts at the live edge) and no presentation times (the jitter buffer's target rules).
                var serverOptions = new StreamServerOptions
                {
                    Mode = StreamMode.Broadcast,
                    Latency = TimeSpan.Zero,
                    Broadcast = new BroadcastOptions { Burst = TimeSpan.Zero, PaceByEngine = false },
                };
                server = new StreamServer("127.0.0.1", 0, sources, serverOptions, loggers);
                serving = server.RunAsync(stop.Token);
                var own = new HostPort("127.0.0.1", server.LocalEndPoint.Port);
                target = options.Route is { } route ? await route(own, cancellationToken) : own;
            }

            var stream = new ReceivedStream();
            await ReceiveAsync(options, target, stream, timeline, loggers, stop);
            var info = stream.Info;
            var (stages, jitterMs, wireJitterMs, times, series) = TimelineAnalysis.Analyse(timeline, options.Server is null, (long)Math.Round(options.Warmup.TotalMilliseconds / frameMs), frameMs);
            var stats = stream.Stats;
            return new LatencyReport
            {
                Codec = info?.Codec ?? options.Codec.Name,
                FrameMilliseconds = info is null ? frameMs : info.FrameSamples * 1000.0 / info.SampleRate,
                Strategy = options.Jitter.Strategy,
                Target = target.ToString(),
                SenderMeasured = options.Server is null,
                Seconds = options.Duration.TotalSeconds,
                WarmupFrames = (long)Math.Round(options.Warmup.TotalMilliseconds / frameMs),
                Stages = stages,
                JitterMilliseconds = jitterMs,
                WireJitterMilliseconds = wireJitterMs,
                Packets = stats.Packets,
                Bytes = stats.Bytes,
                Lost = stats.Lost,
                Late = stats.Late,
                Concealed = stats.Concealed,
                Underruns = stats.Underruns,
                ClockOffsetMicroseconds = stats.ClockOffset.OffsetMicroseconds,
                RoundTripMicroseconds = stats.ClockOffset.RoundTripMicroseconds,
                FrameTimes = times,
                FrameSeries = series,
            };
        }
        finally
        {
            await stop.CancelAsync();
            await serving.ContinueWith(static _ => { }, TaskScheduler.Default);
            await progress;
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            if (input is not null)
            {
                await input.DisposeAsync();
            }
        }
    }

    /// <summary>Receives until the stream ends (the bench's own sender) or the duration is over (a server of yours).</summary>
    private static async Task ReceiveAsync(LatencyBenchOptions options, HostPort target, ReceivedStream stream, StageTimeline timeline, ILoggerFactory loggers, CancellationTokenSource stop)
    {
        var logger = loggers.CreateLogger("Streamer.Bench.Latency");
        var clientOptions = new StreamClientOptions { CreateSink = _ => throw new InvalidOperationException() };
        var arrivals = new ArrivalConnector(new SocketConnector(clientOptions.Connection, clientOptions.ConnectTimeout, logger));
        var client = new StreamClient(
            new StreamClientOptions
            {
                Connector = arrivals,
                CreateSink = context =>
                {
                    var head = new TimingPacketSink(timeline, arrivals, context.Stream.Stats.ClockOffset, context.Info.SampleRate);
                    var jitter = options.Jitter;
                    double block = Math.Clamp(jitter.SmallestTargetMilliseconds / 4, 2.5, 10);
                    head.Inner = context.Decode(_ => Output(block, options.KeepDirectory), jitter, head);
                    return head;
                },
            },
            logger);
        if (options.Server is null)
        {
            await client.RunAsync(target, stream, stop.Token);
            return;
        }

        using var window = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        window.CancelAfter(options.Duration);
        try
        {
            await client.RunAsync(target, stream, window.Token);
        }
        catch (OperationCanceledException) when (window.IsCancellationRequested && !stop.IsCancellationRequested)
        {
        }
    }

    private static IClockedOutput Output(double blockMilliseconds, string? keep)
    {
        var paced = new PacedNullOutput(blockMilliseconds);
        return keep is null ? paced : new KeepingOutput(paced, Path.Combine(keep, "output.wav"));
    }

    /// <summary>The tone's format: the encoder's input where it is 16-bit (no conversion on the sender), else 48 kHz stereo.</summary>
    private static AudioFormat SourceFormat(IAudioCodec codec, CodecOptions options)
    {
        using var encoder = codec.CreateEncoder(DefaultFormat, options);
        var input = encoder.InputFormat;
        return input.Encoding == SampleEncoding.Int16 ? input with { ChannelMask = 0 } : DefaultFormat;
    }

    private static async Task ReportProgressAsync(IProgress<double>? progress, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (progress is null)
        {
            return;
        }

        var started = DateTime.UtcNow;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                progress.Report(Math.Min(1, (DateTime.UtcNow - started) / duration));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

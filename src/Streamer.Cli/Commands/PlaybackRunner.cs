using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Streamer.Cli.Reporting;
using Streamer.Media.Playout;
using Streamer.Streaming.Receive;
using Streamer.Streaming.Receive.Http;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Cli.Commands;

/// <summary>Receives one stream to an output with live status, then reports; shared by <c>play</c> and <c>demo</c>.</summary>
internal sealed class PlaybackRunner
{
    public required string Output { get; init; }

    public required JitterBufferOptions Jitter { get; init; }

    /// <summary>With the device output: its index or name; null for the default.</summary>
    public string? Device { get; init; }

    public string? StatsPath { get; init; }

    /// <summary>No audio for this long fails the stream; null waits forever.</summary>
    public TimeSpan? StallTimeout { get; init; } = PlaybackArguments.DefaultStallTimeout;

    public bool ShowStatus { get; init; } = true;

    /// <summary>paced-null's simulated card clock error, in ppm.</summary>
    public double CardPpm { get; init; }

    /// <summary>Where to log when each frame began to play (a clocked output), or null.</summary>
    public string? PlayoutLogPath { get; init; }

    /// <summary>Where to record every frame's arrival (<c>--record-trace</c>), or null.</summary>
    public string? TracePath { get; init; }

    /// <summary>Stop after this long and finish normally (output finalized), or null for the whole stream.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>TLS and the token (<c>--tls…</c>, <c>--token-file</c>); null: plain TCP, no token.</summary>
    public Security.ClientSecurity? Security { get; init; }

    /// <summary>An Ogg Opus HTTP stream to play instead of a native server (then the HostPort is not used).</summary>
    public Uri? Url { get; init; }

    public async Task<ReceivedStream> RunAsync(HostPort server, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        OutputSelector.Validate(Output);
        if (StatsPath is not null)
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(StatsPath));
            if (directory is not null && !Directory.Exists(directory))
            {
                throw new CliException(ExitCodes.BadInput, $"--stats '{StatsPath}': directory '{directory}' does not exist");
            }
        }

        var logger = loggers.CreateLogger("Streamer.Play");
        await using var playoutLog = OpenPlayoutLog();
        var options = new StreamClientOptions
        {
            CreateSink = context => TraceRecording.Wrap(TracePath, OutputSelector.CreateSink(Output, Device, Jitter, context, logger, CardPpm, playoutLog), context),
            StallTimeout = StallTimeout,
            Connector = Security?.Tls is null ? null : Security.Wrap(new SocketConnector(new SocketConnectionOptions { BlockingIo = OperatingSystem.IsLinux() }, TimeSpan.FromSeconds(10), logger)),
            Token = Security?.Token,
            Tls = Security?.Tls,
        };
        // --duration ends the stream as a normal stop: the chain is finalized on the cancellation path, then we return.
        using var duration = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (Duration is { } limit)
        {
            duration.CancelAfter(limit);
        }

        var stream = new ReceivedStream();
        var clock = Stopwatch.StartNew();
        // With raw PCM on stdout, stdout is data: reports go to stderr.
        var report = Output == OutputSelector.StandardOutput ? Console.Error : Console.Out;
        try
        {
            await using (new StatusLine(stream, ShowStatus))
            {
                try
                {
                    await (Url is { } url
                        ? new HttpStreamClient(options, logger).RunAsync(url, stream, duration.Token)
                        : new StreamClient(options, logger).RunAsync(server, stream, duration.Token));
                }
                catch (OperationCanceledException) when (duration.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    // The --duration ran out: the output was finalized as the stream stopped.
                }
            }
        }
        finally
        {
            if (stream.Info is not null)
            {
                await report.WriteLineAsync(StreamReport.Summary(stream, clock.Elapsed));
            }

            if (StatsPath is not null)
            {
                try
                {
                    StreamReport.WriteJson(StatsPath, stream, clock.Elapsed, stream.Ended);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Reported, but never in place of what ended the stream.
                    await Console.Error.WriteLineAsync($"streamer: warning: --stats '{StatsPath}': {ex.Message}");
                }
            }
        }

        return stream;
    }

    private PlayoutLogWriter? OpenPlayoutLog()
    {
        if (PlayoutLogPath is null)
        {
            return null;
        }

        try
        {
            return PlayoutLogWriter.Create(PlayoutLogPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.BadInput, $"--playout-log '{PlayoutLogPath}': {ex.Message}");
        }
    }
}

using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Cli.Commands;
using Streamer.Media;
using Streamer.Media.Sources;
using Streamer.Streaming;
using Streamer.Streaming.Send;
using Streamer.Transport;

namespace Streamer.Cli.Inputs;

/// <summary>
/// INTERIM, until the shared broadcast (issue 14) serves live inputs: <c>serve -</c>, a FIFO, <c>device</c> or
/// <c>tone</c> through today's per-client sessions. The input is opened once, before listening (so bad input fails
/// at once with one line); a live input is lent to one client at a time (the next one waits, and starts at the live
/// edge when it gets it); the tone is generated afresh for each client. The coordinator replaces this with the
/// broadcast; the selector and sources stay.
/// </summary>
internal static class InterimLiveServe
{
    public static async Task<int> RunAsync(InputSpec input, ParseResult parse, CodecArguments codec, Option<string> host, Option<int> port, Option<int> maxClients, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("Streamer.Serve");
        var (audioCodec, codecOptions) = codec.Build(parse);
        await using var opened = await input.OpenAsync(logger, cancellationToken);
        using (audioCodec.CreateEncoder(opened.Format, codecOptions))
        {
            // Checks the codec accepts the input's layout before listening.
        }

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{input.Name}: {opened.Format}, {(input.IsEndless ? "endless" : input.IsLive ? "live, until the input ends" : $"{opened.TotalFrames / (double)opened.Format.SampleRate:0.00} s")}"));
        var lender = new Lender(opened);
        var sources = new FrameSourceFactory(
            async ct => input.IsLive ? await lender.BorrowAsync(ct) : await input.OpenAsync(logger, ct),
            audioCodec,
            codecOptions);
        var options = new StreamServerOptions { MaxClients = parse.GetValue(maxClients) };
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
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Serving on port {server.LocalEndPoint.Port} ({audioCodec.Name}, {input.Name}). Ctrl+C stops."));
            await Console.Out.FlushAsync(cancellationToken);
            await server.RunAsync(cancellationToken);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Lends the one live source to one session at a time.</summary>
    private sealed class Lender(IAudioSource source)
    {
        private readonly SemaphoreSlim _free = new(1, 1);

        public async Task<IAudioSource> BorrowAsync(CancellationToken cancellationToken)
        {
            await _free.WaitAsync(cancellationToken);
            return new Loan(source, _free);
        }
    }

    private sealed class Loan(IAudioSource source, SemaphoreSlim free) : IAudioSource
    {
        private int _returned;

        public AudioFormat Format => source.Format;

        public long? TotalFrames => null;

        public ValueTask<ReadOnlySequence<byte>> ReadAsync(int frames, CancellationToken cancellationToken) => source.ReadAsync(frames, cancellationToken);

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                free.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}

using System.CommandLine;
using System.Globalization;
using Streamer.Bench.Listeners;
using Streamer.Cli.Reporting;
using Streamer.Streaming;
using Streamer.Streaming.Send;

namespace Streamer.Cli.Commands;

/// <summary>
/// <c>streamer bench listeners TARGET --count N --seconds S</c>: holds N listeners of one server (the Streamer
/// protocol at HOST:PORT, or plain HTTP GETs of an http:// URL such as an Icecast mount) in this process and reports
/// how many connected, frames received and skipped, lateness, and with <c>--server-pid</c> the server's CPU and RSS
/// per listener.
/// </summary>
internal static class BenchListenersCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("TARGET") { Description = "HOST:PORT of a Streamer server, or an http:// URL of a stream (an Icecast mount)" };
        var count = new Option<int>("--count", "-n") { Description = "Listeners to hold at once", HelpName = "N", DefaultValueFactory = _ => 100, CustomParser = OptionParsers.IntegerFrom(1, 100_000) };
        var seconds = new Option<double>("--seconds")
        {
            Description = "Measurement window once every listener has connected: 10, 10s, 500ms or 1.5m (a bare number is seconds)",
            HelpName = "DURATION",
            DefaultValueFactory = _ => 10,
            CustomParser = OptionParsers.Seconds,
        };
        var warmup = OptionParsers.DurationOption("--warmup", "Wait this long after the last listener connected before the window opens, uncounted (e.g. 10s; a bare number is seconds)", TimeSpan.Zero, TimeSpan.Zero);
        var serverPid = new Option<int?>("--server-pid") { Description = "The server's process id: report its CPU and RSS per listener (Linux /proc)", HelpName = "PID", CustomParser = OptionParsers.IntegerOrNone };
        var concurrency = new Option<int>("--connect-at-once") { Description = "Listeners connecting at the same time while the bench ramps up (a Streamer server resets more than 16 from one address in their hello)", HelpName = "N", DefaultValueFactory = _ => 16, CustomParser = OptionParsers.IntegerFrom(1, 10_000) };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
        var command = new Command("listeners", "Hold many listeners of one server and measure it: connected, frames skipped, lateness, server CPU and RSS per listener")
        {
            target, count, seconds, warmup, serverPid, concurrency, json,
        };
        var security = new Security.ClientSecurityOptions();
        security.AddTo(command);
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            double window = parse.GetValue(seconds);
            if (double.IsNaN(window) || window <= 0 || window > 24 * 3600)
            {
                throw new CliException(ExitCodes.BadInput, string.Create(CultureInfo.InvariantCulture, $"--seconds must be more than 0 and at most a day, not {window}"));
            }

            int? pid = parse.GetValue(serverPid);
            if (pid is { } id && (id <= 0 || ProcessSampler.TryRead(id) is null))
            {
                throw new CliException(ExitCodes.BadInput, string.Create(CultureInfo.InvariantCulture, $"--server-pid {id}: no such process to sample (its /proc/{id}/stat cannot be read)"));
            }

            string text = parse.GetValue(target)!;
            var (host, port, path) = ParseTarget(text);
            var secured = security.Build(parse);
            var options = new ListenerBenchOptions
            {
                Host = host,
                Port = port,
                HttpPath = path,
                Count = parse.GetValue(count),
                Duration = TimeSpan.FromSeconds(window),
                Warmup = parse.GetValue(warmup),
                Codecs = [.. CodecRegistry.Default.Names],
                ServerPid = pid,
                ConnectConcurrency = parse.GetValue(concurrency),
                Token = secured.Token,
                Tls = secured.Tls,
            };
            // The bench reports no progress of its own: the line moves with the clock over the idle sample, the
            // warm-up and the window (the ramp's length depends on the server; the line waits at 99 % past them).
            double expected = (pid is null ? 0 : 1) + options.Warmup.TotalSeconds + window;
            ListenerBenchResult result;
            using (BenchProgress.Ticking(parse, "bench listeners", expected))
            {
                result = await ListenerBench.RunAsync(options, cancellationToken);
            }

            await Console.Out.WriteAsync(parse.GetValue(json) ? ListenerBenchReport.Json(result) : ListenerBenchReport.Text(result));
            await Console.Out.FlushAsync(cancellationToken);
            if (result.Connected == 0)
            {
                string why = result.Failures.Count > 0 ? string.Join(", ", result.Failures.Keys) : string.Join(", ", result.Refusals.Keys);
                throw new CliException(ExitCodes.Failure, string.Create(CultureInfo.InvariantCulture, $"no listener connected to {result.Target} ({result.Refused} refused, {result.Failed} failed: {why})"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>HOST:PORT (the protocol; the server's default port when none is named) or http://HOST[:PORT]/PATH.</summary>
    private static (string Host, int Port, string? HttpPath) ParseTarget(string text)
    {
        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || string.IsNullOrEmpty(uri.Host))
            {
                throw new CliException(ExitCodes.BadInput, $"{text}: not an http:// URL (the HTTP mode speaks plain HTTP; HOST:PORT means a Streamer server)");
            }

            return (uri.IdnHost.Trim('[', ']'), uri.Port, uri.PathAndQuery);
        }

        var endpoint = CommonOptions.ParseEndpoint(text, StreamServerOptions.DefaultPort);
        return (endpoint.Host, endpoint.Port, null);
    }
}

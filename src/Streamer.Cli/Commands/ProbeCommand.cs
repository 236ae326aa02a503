using System.CommandLine;
using Microsoft.Extensions.Logging;
using Streamer.Cli.Reporting;
using Streamer.Probe;

namespace Streamer.Cli.Commands;

/// <summary><c>streamer probe TARGET...</c>: is each host up, how fast does it connect, does it speak Streamer.</summary>
internal static class ProbeCommand
{
    public const int DefaultPort = 443;

    public static Command Create()
    {
        var targets = new Argument<string[]>("TARGET")
        {
            Description = "host, host:port, [v6addr]:port, or a URL (http://, https://, streamer://, …: port from the scheme)",
            Arity = ArgumentArity.OneOrMore,
        };
        var port = new Option<int>("--port", "-p") { Description = "Port for targets that name none", HelpName = "PORT", DefaultValueFactory = _ => DefaultPort, CustomParser = OptionParsers.IntegerFrom(1, 65535) };
        var retry = new Option<int>("--retry") { Description = "Connect attempts per target before calling it down", HelpName = "N", DefaultValueFactory = _ => 5, CustomParser = OptionParsers.IntegerFrom(1, 1000) };
        var delay = OptionParsers.DurationOption("--delay", "Pause between attempts (e.g. 1s, 250ms; a bare number is seconds)", TimeSpan.FromSeconds(1), TimeSpan.Zero);
        var timeout = OptionParsers.DurationOption("--timeout", "Limit for each lookup, connect, hello and pong (e.g. 3s, 500ms; a bare number is seconds)", TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(1));
        var count = new Option<int>("--count", "-n") { Description = "Pings to a Streamer server for round-trip times; 0 skips the protocol check", HelpName = "N", DefaultValueFactory = _ => 5, CustomParser = OptionParsers.IntegerFrom(0, 10_000) };
        var json = new Option<bool>("--json") { Description = "Print a JSON array (one object per target) instead of a table" };

        var command = new Command("probe", "Check whether hosts accept TCP connections, and measure Streamer servers' round trips")
        {
            targets, port, retry, delay, timeout, count, json,
        };
        var security = new Security.ClientSecurityOptions();
        security.AddTo(command);
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            int defaultPort = parse.GetValue(port);
            int attempts = parse.GetValue(retry);
            int pings = parse.GetValue(count);
            var parsed = new List<ProbeTarget>();
            foreach (string text in parse.GetValue(targets)!)
            {
                if (!ProbeTarget.TryParse(text, defaultPort, out var target, out string error))
                {
                    throw new CliException(ExitCodes.BadInput, error);
                }

                parsed.Add(target);
            }

            var options = new ProbeOptions
            {
                Attempts = attempts,
                Delay = parse.GetValue(delay),
                Timeout = parse.GetValue(timeout),
                PingCount = pings,
            };
            var secured = security.Build(parse);
            options.Tls = secured.Tls;
            options.Token = secured.Token;
            var prober = new Prober(options, loggers.CreateLogger("Streamer.Probe"));
            var results = await prober.ProbeAllAsync(parsed, cancellationToken);
            if (parse.GetValue(json))
            {
                await using var stdout = Console.OpenStandardOutput();
                ProbeJsonWriter.Write(stdout, results);
                await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            }
            else
            {
                await Console.Out.WriteAsync(ProbeTableWriter.Format(results));
                await Console.Out.FlushAsync(cancellationToken);
            }

            foreach (var result in results)
            {
                // Refused before the server's hello (unauthorized, tls-required, server full): the check failed too.
                if (!result.IsUp || result.Streamer is { Version: null })
                {
                    return ExitCodes.Failure;
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}

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
        var port = new Option<int>("--port", "-p") { Description = "Port for targets that name none", DefaultValueFactory = _ => DefaultPort };
        var retry = new Option<int>("--retry") { Description = "Connect attempts per target before calling it down", DefaultValueFactory = _ => 5 };
        var delay = DurationParser.Option("--delay", "Pause between attempts (e.g. 1s, 250ms)", TimeSpan.FromSeconds(1), TimeSpan.Zero);
        var timeout = DurationParser.Option("--timeout", "Limit for each lookup, connect, hello and pong (e.g. 3s)", TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(1));
        var count = new Option<int>("--count", "-n") { Description = "Pings to a Streamer server for round-trip times; 0 skips the protocol check", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print a JSON array (one object per target) instead of a table" };

        var command = new Command("probe", "Check whether hosts accept TCP connections, and measure Streamer servers' round trips")
        {
            targets, port, retry, delay, timeout, count, json,
        };
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            int defaultPort = parse.GetValue(port);
            int attempts = parse.GetValue(retry);
            int pings = parse.GetValue(count);
            if (defaultPort is < 1 or > 65535)
            {
                throw new CliException(ExitCodes.BadInput, $"--port must be from 1 to 65535, not {defaultPort}");
            }

            if (attempts is < 1 or > 1000)
            {
                throw new CliException(ExitCodes.BadInput, $"--retry must be from 1 to 1000, not {attempts}");
            }

            if (pings is < 0 or > 10_000)
            {
                throw new CliException(ExitCodes.BadInput, $"--count must be from 0 to 10000, not {pings}");
            }

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
                if (!result.IsUp)
                {
                    return ExitCodes.Failure;
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}

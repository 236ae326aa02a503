using System.CommandLine;
using Streamer.Cli.Commands;

namespace Streamer.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Streamer: stream audio over TCP with pluggable codecs, a jitter buffer and live stats.");
        root.Options.Add(GlobalOptions.Verbose);
        root.Options.Add(GlobalOptions.Quiet);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(PlayCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(DevicesCommand.Create());
        root.Subcommands.Add(ProbeCommand.Create());
        root.Subcommands.Add(ChatCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && !HelpRequested(parse))
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync("streamer: error: " + error.Message);
            }

            await Console.Error.WriteLineAsync($"Run '{CommandPath(parse)} --help' for usage.");
            return ExitCodes.BadInput;
        }

        // Without a termination timeout System.CommandLine installs no SIGINT/SIGTERM handler: the process would
        // die on Ctrl+C before outputs are finalized. With it, the command's token is cancelled instead.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(5) });
    }

    private static bool HelpRequested(ParseResult parse)
        => parse.Tokens.Any(t => t.Value is "--help" or "-h" or "-?");

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command is RootCommand ? "streamer" : result.Command.Name);
        }

        return string.Join(' ', names);
    }
}

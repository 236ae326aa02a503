using System.CommandLine;
using System.CommandLine.Parsing;
using Streamer.Cli.Commands;

namespace Streamer.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Plug-ins load before the command tree is built, so their codecs are in --help and in the codec options.
        if (PluginOptions.LoadAll(args) is { } failure)
        {
            await Console.Error.WriteLineAsync("streamer: error: " + failure);
            return ExitCodes.BadInput;
        }

        var parse = CreateRootCommand().Parse(args);
        if (parse.Errors.Count > 0 && !HelpRequested(parse))
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync("streamer: error: " + error.Message);
            }

            // A bad value's line already says what would do; a misspelt option or missing argument needs the usage.
            if (parse.Errors.Any(e => e.SymbolResult is not (OptionResult or ArgumentResult { Parent: OptionResult })))
            {
                await Console.Error.WriteLineAsync($"Run '{CommandPath(parse)} --help' for usage.");
            }

            return ExitCodes.BadInput;
        }

        // Without a termination timeout System.CommandLine installs no SIGINT/SIGTERM handler: the process would
        // die on Ctrl+C before outputs are finalized. With it, the command's token is cancelled instead.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(5) });
    }

    /// <summary>The whole command tree; tests parse the documented command lines with it (DocumentedCommandLineTests).</summary>
    internal static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Streamer: stream audio over TCP with pluggable codecs, a jitter buffer and live stats.");
        root.Options.Add(GlobalOptions.Verbose);
        root.Options.Add(GlobalOptions.Quiet);
        root.Options.Add(GlobalOptions.Plugins);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(PlayCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(DevicesCommand.Create());
        root.Subcommands.Add(ProbeCommand.Create());
        root.Subcommands.Add(ChatCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(CodecsCommand.Create());
        root.Subcommands.Add(ProxyCommand.Create());
        OptionParsers.InstallDefaults(root);
        return root;
    }

    private static bool HelpRequested(ParseResult parse)
        => parse.Tokens.Any(t => t.Value is "--help" or "-h" or "-?");

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Insert(0, result.Command is RootCommand ? "streamer" : result.Command.Name);
        }

        return string.Join(' ', names);
    }
}

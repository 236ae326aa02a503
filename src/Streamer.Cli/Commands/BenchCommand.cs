using System.CommandLine;

namespace Streamer.Cli.Commands;

/// <summary><c>streamer bench …</c>: measurements users run on their own machine.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure Streamer's parts on this machine");
        command.Subcommands.Add(BenchCodecsCommand.Create());
        command.Subcommands.Add(BenchListenersCommand.Create());
        command.Subcommands.Add(BenchMatrixCommand.Create());
        command.Subcommands.Add(BenchLatencyCommand.Create());
        command.Subcommands.Add(BenchReplayCommand.Create());
        return command;
    }
}

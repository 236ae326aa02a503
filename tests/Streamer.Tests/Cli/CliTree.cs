using System.CommandLine;

namespace Streamer.Tests.Cli;

/// <summary>
/// The real command tree, built once. Its global options are shared objects that every built tree adds itself to,
/// and parsing may fill caches: tests in parallel classes share this one tree and parse it under a lock.
/// </summary>
internal static class CliTree
{
    private static readonly Lock Gate = new();

    public static RootCommand Root { get; } = Streamer.Cli.Program.CreateRootCommand();

    public static ParseResult Parse(string[] arguments)
    {
        lock (Gate)
        {
            return Root.Parse(arguments);
        }
    }
}

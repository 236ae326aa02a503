namespace Streamer.Cli;

/// <summary>Chooses where the runtime runs socket completions, for commands that hold a single connection.</summary>
internal static class SocketCompletions
{
    private const string InlineVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// By default the runtime's socket event thread hands each completion to a thread-pool worker, which wakes a
    /// second worker "to parallelize": about five context switches per received frame. A client with one connection
    /// has nothing to parallelize, so <c>play</c> runs completions on the event thread: about half the CPU per live
    /// stream and faster bulk receives (docs/performance.md). The receive path never blocks on anything but its own
    /// output. The runtime reads the switch once, when the first socket is registered, so this must run before any
    /// socket exists; a value the user set in the environment wins.
    /// </summary>
    public static void PreferInline()
    {
        if (Environment.GetEnvironmentVariable(InlineVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineVariable, "1");
        }
    }
}

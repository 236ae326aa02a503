namespace Streamer.Cli;

/// <summary>Process exit codes; documented in the README. Scripts rely on them: never renumber.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A runtime failure: connection refused or lost, server error, a playback or capture device missing or busy, a FIFO that cannot be opened.</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments or bad input (an unreadable or unsupported WAV, stdin that is not WAV or ends in its header, a FIFO or file that does not exist, an unknown codec).</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted by Ctrl+C (SIGINT), after finalizing output files.</summary>
    public const int Interrupted = 130;
}

namespace Streamer.Cli;

/// <summary>A failure to report to the user as one line, with the exit code it maps to.</summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CliException()
    {
        ExitCode = ExitCodes.Failure;
    }

    public CliException(string message)
        : base(message)
    {
        ExitCode = ExitCodes.Failure;
    }

    public CliException(string message, Exception inner)
        : base(message, inner)
    {
        ExitCode = ExitCodes.Failure;
    }

    public int ExitCode { get; }
}

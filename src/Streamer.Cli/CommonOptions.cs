using System.CommandLine;
using Streamer.Transport;

namespace Streamer.Cli;

internal static class CommonOptions
{
    public static Option<int> Port(int defaultPort, string description) => new("--port", "-p")
    {
        Description = description,
        HelpName = "PORT",
        DefaultValueFactory = _ => defaultPort,
        CustomParser = OptionParsers.IntegerFrom(0, 65535),
    };

    public static Option<string> Host(string description) => new("--host")
    {
        Description = description,
        DefaultValueFactory = _ => "*",
    };

    /// <summary>Parses HOST:PORT or throws a bad-input error naming the text.</summary>
    public static HostPort ParseEndpoint(string text, int defaultPort)
        => HostPort.TryParse(text, defaultPort, out var endpoint, out string error)
            ? endpoint
            : throw new CliException(ExitCodes.BadInput, error);
}

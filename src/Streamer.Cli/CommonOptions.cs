using System.CommandLine;
using Streamer.Transport;

namespace Streamer.Cli;

internal static class CommonOptions
{
    public static Option<int> Port(int defaultPort, string description) => new("--port", "-p")
    {
        Description = description,
        DefaultValueFactory = _ => defaultPort,
        Validators =
        {
            result =>
            {
                int port = result.GetValueOrDefault<int>();
                if (port is < 0 or > 65535)
                {
                    result.AddError($"--port must be from 0 to 65535, not {port}");
                }
            },
        },
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

using System.Globalization;
using System.Text.RegularExpressions;

namespace Streamer.Tests.Support;

/// <summary>A real <c>streamer serve</c> on a free loopback port.</summary>
public static partial class ServerProcess
{
    public static async Task<(CliProcess Server, int Port)> StartAsync(string file, params string[] extra)
    {
        var server = CliProcess.Start(["serve", file, "--host", "127.0.0.1", "--port", "0", .. extra]);
        try
        {
            string line = await server.WaitForLineAsync(l => l.StartsWith("Serving on port ", StringComparison.Ordinal));
            int port = int.Parse(PortPattern().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
            return (server, port);
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"server did not start.\nstdout:\n{server.Stdout}\nstderr:\n{server.Stderr}");
        }
    }

    [GeneratedRegex(@"Serving on port (\d+)")]
    private static partial Regex PortPattern();
}

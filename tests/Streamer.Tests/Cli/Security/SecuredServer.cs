using System.Globalization;
using System.Text.RegularExpressions;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli.Security;

/// <summary>A real <c>streamer serve</c> or <c>chat serve</c> on a free loopback port, with its own config directory (where <c>--tls</c> keeps its certificate).</summary>
internal sealed partial class SecuredServer : IAsyncDisposable
{
    private SecuredServer(CliProcess process, int port, string? fingerprint)
    {
        Process = process;
        Port = port;
        Fingerprint = fingerprint;
    }

    public CliProcess Process { get; }

    public int Port { get; }

    public string Address => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The SHA-256 fingerprint the server printed, when it speaks TLS.</summary>
    public string? Fingerprint { get; }

    public static Task<SecuredServer> ServeAsync(string configDirectory, params string[] args)
        => StartAsync(["serve", .. args, "--host", "127.0.0.1", "--port", "0"], configDirectory, "Serving on port ");

    public static Task<SecuredServer> ChatAsync(string configDirectory, params string[] args)
        => StartAsync(["chat", "serve", .. args, "--host", "127.0.0.1", "--port", "0"], configDirectory, "Chat room on port ");

    public static Dictionary<string, string?> Environment(string configDirectory, string? token = null)
        => new() { ["XDG_CONFIG_HOME"] = configDirectory, ["STREAMER_TOKEN"] = token };

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static async Task<SecuredServer> StartAsync(string[] args, string configDirectory, string ready)
    {
        var process = CliProcess.Start(args, environment: Environment(configDirectory));
        try
        {
            string line = await process.WaitForLineAsync(l => l.StartsWith(ready, StringComparison.Ordinal));
            int port = int.Parse(PortPattern().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
            var fingerprint = FingerprintPattern().Match(process.Stdout);
            return new SecuredServer(process, port, fingerprint.Success ? fingerprint.Groups[1].Value : null);
        }
        catch (TimeoutException)
        {
            await process.DisposeAsync();
            throw new TimeoutException($"server did not start.\nstdout:\n{process.Stdout}\nstderr:\n{process.Stderr}");
        }
    }

    [GeneratedRegex(@"on port (\d+)")]
    private static partial Regex PortPattern();

    [GeneratedRegex(@"SHA-256 fingerprint ([0-9A-F:]{95})")]
    private static partial Regex FingerprintPattern();
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Bench.Proxy;
using Streamer.Transport;

namespace Streamer.Cli.Commands;

/// <summary>
/// <c>streamer proxy --listen [HOST:]PORT --to HOST:PORT</c>: forwards TCP connections both ways under network
/// conditions (delay, jitter, rate, stalls, resets, corruption, or a named profile); runs until Ctrl+C.
/// </summary>
internal static class ProxyCommand
{
    private const string DistributionNames = "uniform, normal or pareto";

    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Where to listen: PORT (on 127.0.0.1), HOST:PORT, or *:PORT for every address", HelpName = "[HOST:]PORT", Required = true };
        var to = new Option<string>("--to") { Description = "Where to forward each connection", HelpName = "HOST:PORT", Required = true };
        var profile = new Option<NetworkConditions?>("--profile") { Description = "Start from a named condition: " + string.Join(", ", ConditionProfiles.Names) + " (numbers in docs/bench.md); the options below override its parts", HelpName = "NAME", CustomParser = ParseProfile };
        var delay = Duration("--delay", "Fixed one-way delay added to each direction: 40ms (a bare number is ms). Default 0", TimeSpan.FromMilliseconds(1));
        var jitter = Duration("--jitter", "Mean extra delay drawn per chunk, never negative; bytes are never reordered: 15ms. Default 0", TimeSpan.FromMilliseconds(1));
        var distribution = new Option<JitterDistribution?>("--jitter-distribution") { Description = "How jitter is drawn: " + DistributionNames + " (default uniform)", HelpName = "NAME", CustomParser = ParseDistribution };
        var seed = new Option<int?>("--seed") { Description = "Seed of the jitter draws, so a run repeats (default 1)", HelpName = "N", CustomParser = OptionParsers.IntegerOrNone };
        var rate = new Option<double?>("--rate") { Description = "Link rate per direction: 2mbit, 512k, 64kbps (a bare number of 6000 or more is bit/s, below that kbit/s). Default unlimited", HelpName = "RATE", CustomParser = OptionParsers.Bitrate };
        var stallEvery = Duration("--stall-every", "Stall each direction this often, from when a connection opens: 10s (a bare number is seconds)", TimeSpan.FromSeconds(1));
        var stall = Duration("--stall", "How long each stall holds the bytes back before releasing them in one burst: 300ms (a bare number is ms)", TimeSpan.FromMilliseconds(1));
        var cutAt = Duration("--cut-at", "Reset (TCP RST) both sides of each connection this long after it opens: 30s (a bare number is seconds)", TimeSpan.FromSeconds(1));
        var corruptEvery = new Option<long?>("--corrupt-every") { Description = "Flip (XOR 0xFF) every Nth byte of each direction, for robustness tests", HelpName = "N", CustomParser = ParseCount };
        var command = new Command("proxy", "Forward TCP connections with network conditions: delay, jitter, rate, stalls, resets, corruption")
        {
            listen, to, profile, delay, jitter, distribution, seed, rate, stallEvery, stall, cutAt, corruptEvery,
        };
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            var listenAt = ParseListen(parse.GetValue(listen)!);
            var upstream = CommonOptions.ParseEndpoint(parse.GetValue(to)!, 0);
            if (upstream.Port == 0)
            {
                throw new CliException(ExitCodes.BadInput, $"--to '{parse.GetValue(to)}': name the port, as HOST:PORT");
            }

            var conditions = parse.GetValue(profile) ?? NetworkConditions.None;
            conditions = conditions with
            {
                Delay = parse.GetValue(delay) ?? conditions.Delay,
                Jitter = parse.GetValue(jitter) ?? conditions.Jitter,
                JitterDistribution = parse.GetValue(distribution) ?? conditions.JitterDistribution,
                Seed = parse.GetValue(seed) ?? conditions.Seed,
                RateBitsPerSecond = parse.GetValue(rate) is { } kbps ? checked((long)Math.Round(kbps * 1000)) : conditions.RateBitsPerSecond,
                StallEvery = parse.GetValue(stallEvery) ?? conditions.StallEvery,
                Stall = parse.GetValue(stall) ?? conditions.Stall,
                CutAt = parse.GetValue(cutAt) ?? conditions.CutAt,
                CorruptEvery = parse.GetValue(corruptEvery) ?? conditions.CorruptEvery,
            };
            Check(conditions, parse.GetValue(stallEvery) is not null, parse.GetValue(stall) is not null);

            TcpProxy proxy;
            try
            {
                proxy = TcpProxy.Start(listenAt, upstream, conditions, logger: loggers.CreateLogger("Streamer.Proxy"));
            }
            catch (SocketException ex)
            {
                throw new CliException(ExitCodes.Failure, $"cannot listen on {listenAt}: {NetworkErrors.Describe(ex.SocketErrorCode)}");
            }

            await using (proxy)
            {
                if (!parse.GetValue(GlobalOptions.Quiet))
                {
                    await Console.Error.WriteLineAsync($"streamer: proxy on {proxy.LocalEndPoint} to {upstream}: {conditions.Describe()}");
                }

                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The checks one option alone cannot make; each is one line naming the options (exit 2).</summary>
    internal static void Check(NetworkConditions conditions, bool stallEveryGiven, bool stallGiven)
    {
        if (stallEveryGiven != stallGiven && (conditions.StallEvery == TimeSpan.Zero || conditions.Stall == TimeSpan.Zero))
        {
            throw new CliException(ExitCodes.BadInput, "--stall-every and --stall go together: say how often and how long (e.g. --stall-every 10s --stall 300ms)");
        }

        if (conditions.StallEvery > TimeSpan.Zero && conditions.Stall >= conditions.StallEvery)
        {
            throw new CliException(ExitCodes.BadInput, string.Create(CultureInfo.InvariantCulture, $"--stall ({conditions.Stall.TotalMilliseconds:0.###} ms) must be shorter than --stall-every ({conditions.StallEvery.TotalMilliseconds:0.###} ms)"));
        }

        if (conditions.RateBitsPerSecond is > 0 and < 8000)
        {
            throw new CliException(ExitCodes.BadInput, string.Create(CultureInfo.InvariantCulture, $"--rate must be at least 8 kbit/s, not {conditions.RateBitsPerSecond} bit/s"));
        }
    }

    /// <summary>PORT alone listens on loopback: a proxy that degrades traffic should not face the network by accident.</summary>
    internal static IPEndPoint ParseListen(string text)
    {
        string trimmed = text.Trim();
        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out int bare))
        {
            trimmed = "127.0.0.1:" + bare.ToString(CultureInfo.InvariantCulture);
        }

        // Port 0 (any free port) is fine here, which HostPort (a place to connect to) refuses.
        bool anyPort = trimmed.EndsWith(":0", StringComparison.Ordinal);
        if (!HostPort.TryParse(anyPort ? trimmed[..^2] : trimmed, -1, out var endpoint, out string error) || (endpoint.Port < 0 && !anyPort))
        {
            throw new CliException(ExitCodes.BadInput, "--listen " + (error.Length > 0 ? error : $"'{text}': name the port, as PORT or HOST:PORT"));
        }

        if (anyPort)
        {
            endpoint = endpoint with { Port = 0 };
        }

        if (endpoint.Host == "*")
        {
            return new IPEndPoint(IPAddress.IPv6Any, endpoint.Port);
        }

        if (string.Equals(endpoint.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new IPEndPoint(IPAddress.Loopback, endpoint.Port);
        }

        return IPAddress.TryParse(endpoint.Host, out var address)
            ? new IPEndPoint(address, endpoint.Port)
            : throw new CliException(ExitCodes.BadInput, $"--listen '{text}': give an address of this machine (127.0.0.1, ::1, *), not a name");
    }

    private static Option<TimeSpan?> Duration(string name, string description, TimeSpan bareUnit) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (!Quantities.TryParseDuration(text, bareUnit, out var value))
            {
                result.AddError($"{name}: '{text}' is not a duration (say 40ms, 1.5s or 2m)");
                return null;
            }

            if (value < TimeSpan.Zero)
            {
                result.AddError($"{name} must not be negative, not '{text}'");
            }

            return value;
        },
    };

    private static NetworkConditions? ParseProfile(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (ConditionProfiles.TryGet(text, out var conditions))
        {
            return conditions;
        }

        result.AddError($"--profile: '{text}' is not a profile (say {string.Join(", ", ConditionProfiles.Names)})");
        return null;
    }

    private static JitterDistribution? ParseDistribution(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        switch (text.Trim().ToLowerInvariant())
        {
            case "uniform": return JitterDistribution.Uniform;
            case "normal": return JitterDistribution.Normal;
            case "pareto": return JitterDistribution.Pareto;
            default:
                result.AddError($"--jitter-distribution: '{text}' is not a distribution (say {DistributionNames})");
                return null;
        }
    }

    private static long? ParseCount(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (!Quantities.TryParseSize(text, out long count) || count < 1)
        {
            result.AddError($"--corrupt-every: '{text}' is not a byte count of 1 or more (say 1000 or 64k)");
            return null;
        }

        return count;
    }
}

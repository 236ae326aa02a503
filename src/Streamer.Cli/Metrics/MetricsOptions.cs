using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Streamer.Cli.Metrics;

/// <summary>
/// <c>--metrics-port PORT</c> and <c>--metrics-host HOST</c> on serve and play: the Streamer meters as Prometheus text at
/// <c>http://HOST:PORT/metrics</c>, through the OpenTelemetry exporter's own HttpListener (docs/metrics.md).
/// Off unless a port is given; bound to loopback unless a host is.
/// </summary>
internal sealed partial class MetricsOptions
{
    /// <summary>Every meter of the product (server, client, chat).</summary>
    private static readonly string[] MeterNames = ["Streamer.Server", "Streamer.Client", "Streamer.Chat"];

    public Option<int?> Port { get; } = new("--metrics-port")
    {
        Description = "Serve Prometheus metrics at http://HOST:PORT/metrics (0 picks a free port; the address is logged). Default: off",
        HelpName = "PORT",
        CustomParser = r => OptionParsers.IntegerFrom(0, 65535)(r),
    };

    public Option<string> Host { get; } = new("--metrics-host")
    {
        Description = "Address the metrics endpoint listens on; '*' is every address (anyone who reaches it reads the figures)",
        HelpName = "HOST",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Port);
        command.Options.Add(Host);
    }

    /// <summary>
    /// Starts the endpoint when <c>--metrics-port</c> was given (null otherwise); disposing stops it. A port that cannot
    /// be served fails the command with one line (exit 1).
    /// </summary>
    public IDisposable? Start(ParseResult parse, ILoggerFactory loggers)
    {
        if (parse.GetValue(Port) is not int requested)
        {
            return null;
        }

        string host = parse.GetValue(Host)!;
        int port = requested == 0 ? FreePort(host) : requested;
        MeterProvider provider;
        try
        {
            provider = Sdk.CreateMeterProviderBuilder()
                .ConfigureResource(resource => resource.AddService("streamer", serviceVersion: Protocol.Handshake.Agent["streamer/".Length..]))
                .AddMeter(MeterNames)
                .AddPrometheusHttpListener(options =>
                {
                    options.Host = host;
                    options.Port = port;
                    options.ScrapeEndpointPath = "/metrics";
                    // Every scrape collects afresh: a scrape is cheap next to a Prometheus interval.
                    options.ScrapeResponseCacheDurationMilliseconds = 0;
                })
                .Build();
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpListenerException or SocketException or ArgumentException)
        {
            throw new CliException(ExitCodes.Failure, $"--metrics-port: cannot serve metrics on {Url(host, port)}: {Innermost(ex).Message}");
        }

        Serving(loggers.CreateLogger("Streamer.Metrics"), Url(host, port));
        return provider;
    }

    private static string Url(string host, int port)
        => string.Create(CultureInfo.InvariantCulture, $"http://{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? "[" + host + "]" : host)}:{port}/metrics");

    /// <summary>A port free now on <paramref name="host"/> (HttpListener takes no port 0): bound, read and released.</summary>
    private static int FreePort(string host)
    {
        var address = host == "*" ? IPAddress.Any : IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed : IPAddress.Loopback;
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is { } inner)
        {
            ex = inner;
        }

        return ex;
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Metrics at {Url}")]
    private static partial void Serving(ILogger logger, string url);
}

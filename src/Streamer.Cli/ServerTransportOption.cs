using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Logging;
using Streamer.Protocol.Hosting;
using Streamer.Transport;
using Streamer.Transport.Kestrel;
using Streamer.Transport.Sockets;

namespace Streamer.Cli;

/// <summary>Which transport a server listens with.</summary>
internal enum ServerTransport
{
    /// <summary>Streamer's own socket transport (Streamer.Transport.Sockets).</summary>
    Sockets,

    /// <summary>Kestrel's socket transport, the one under ASP.NET Core (Streamer.Transport.Kestrel).</summary>
    Kestrel,
}

/// <summary>
/// <c>--transport sockets|kestrel</c> and the listener it makes. The default is our socket transport: Kestrel's
/// measured the same (CPU per real-time stream, asap throughput) within noise, so it brings nothing by default that
/// would pay for loading it (docs/performance.md, "Kestrel transport vs ours"; docs/architecture.md).
/// </summary>
internal static class ServerTransportOption
{
    public const ServerTransport Default = ServerTransport.Sockets;

    public static Option<ServerTransport> Create() => new("--transport")
    {
        Description = "sockets: Streamer's socket transport (default); kestrel: Kestrel's socket transport (ASP.NET Core)",
        HelpName = "sockets|kestrel",
        DefaultValueFactory = _ => Default,
        CustomParser = Parse,
    };

    /// <summary>Binds at once with the chosen transport; a port in use fails here with a <see cref="System.Net.Sockets.SocketException"/>.</summary>
    public static IConnectionListener Listen(ServerTransport transport, string host, int port, ConnectionHostOptions limits, ILoggerFactory loggers)
    {
        var connection = limits.Connection;
        return transport == ServerTransport.Kestrel
            ? KestrelTransport.Listen(host, port, new KestrelListenerOptions
            {
                Backlog = limits.Backlog,
                MaxInputBufferBytes = connection.MaxInputBufferBytes,
                MaxOutputBufferBytes = connection.MaxOutputBufferBytes,
                SendBufferBytes = connection.SendBufferBytes,
                SendInParallel = connection.SendInParallel,
            }, loggers)
            : new SocketListener(host, port, limits.Backlog, connection, loggers.CreateLogger("Streamer.Server"));
    }

    private static ServerTransport Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        switch (text.Trim().ToLowerInvariant())
        {
            case "sockets":
                return ServerTransport.Sockets;
            case "kestrel":
                return ServerTransport.Kestrel;
            default:
                result.AddError($"--transport: '{text}' is not a transport (sockets or kestrel)");
                return Default;
        }
    }
}

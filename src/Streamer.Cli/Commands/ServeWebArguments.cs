using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Streamer.Protocol.Security;
using Streamer.Streaming.Http;
using Streamer.Streaming.Send;
using Streamer.Transport.Tls;
using Streamer.Web;

namespace Streamer.Cli.Commands;

/// <summary>
/// serve's web side (<c>--http-port</c>, <c>--http-host</c>, <c>--http-max-connections</c>): the broadcast as Ogg Opus at
/// /stream.opus, the status page and /status.json (docs/web.md). Needs a broadcast: on demand there is no live edge.
/// It is protected as the audio port is: HTTPS with the same certificate under TLS, a listen token under --token-file.
/// </summary>
internal sealed class ServeWebArguments
{
    private readonly Option<int?> _port = new("--http-port")
    {
        Description = "Also serve the broadcast over HTTP on this port: /stream.opus (Ogg Opus, for browsers, VLC, mpv, ffplay), the status page / and /status.json (0 picks a free port; see docs/web.md)",
        HelpName = "PORT",
        CustomParser = r => (int?)OptionParsers.IntegerFrom(0, 65535)(r),
    };

    private readonly Option<string> _host = new("--http-host")
    {
        Description = "Address the HTTP side listens on: an IP address, 'localhost' or '*' (every address). Without --tls and --token-file nothing on it is protected: keep it on loopback unless the network is trusted",
        HelpName = "ADDRESS",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    private readonly Option<int> _maxConnections = new("--http-max-connections")
    {
        Description = "Most HTTP connections at once (stream listeners, pages, idle sockets); past it a connection is closed at once",
        HelpName = "N",
        DefaultValueFactory = _ => new WebServerOptions().MaxConnections,
        CustomParser = OptionParsers.IntegerFrom(1, 100_000),
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_port);
        command.Options.Add(_host);
        command.Options.Add(_maxConnections);
    }

    /// <summary>Whether the web side was asked for.</summary>
    public bool Requested(ParseResult parse) => parse.GetValue(_port) is not null;

    /// <summary>
    /// Starts the web side of <paramref name="server"/>, or returns null when not asked for. A port in use exits 1.
    /// <paramref name="tls"/> (the audio port's) makes it HTTPS with the same certificate; <paramref name="tokens"/>
    /// (the audio port's) makes every request but the page's static files need a listen token. <paramref name="chat"/>,
    /// the room <c>--chat-port</c> runs, is shown on the page.
    /// </summary>
    public async Task<ServeWeb?> StartAsync(ParseResult parse, StreamServer server, Streamer.Chat.ChatServer? chat, TlsServerOptions? tls, AccessTokens? tokens, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (parse.GetValue(_port) is not int port)
        {
            return null;
        }

        string host = parse.GetValue(_host)!;
        var options = new WebServerOptions
        {
            Host = host,
            Port = port,
            MaxConnections = parse.GetValue(_maxConnections),
            Certificate = tls?.Certificate,
            TlsProtocols = tls?.Protocols ?? System.Security.Authentication.SslProtocols.Tls13,
            ClientCertificateAuthorities = tls?.ClientCertificateAuthorities,
            Tokens = tokens,
            Chat = chat,
        };
        var ogg = new OggLiveStream(server, loggers);
        WebServer web;
        try
        {
            web = new WebServer(server, ogg, options, loggers);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ExitCodes.BadInput, ex.Message.Split(" (Parameter", 2)[0]);
        }

        try
        {
            await web.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await web.DisposeAsync();
            string reason = ex.InnerException?.Message ?? ex.Message;
            throw new CliException(ExitCodes.Failure, string.Create(CultureInfo.InvariantCulture, $"cannot listen for HTTP on {host}:{port}: {reason}"));
        }

        string shown = host is "*" or "0.0.0.0" ? "localhost" : host;
        string root = string.Create(CultureInfo.InvariantCulture, $"{web.Scheme}://{shown}:{web.Port}");
        // The token is never printed: the URL says where it goes.
        string query = tokens is null ? string.Empty : "?token=TOKEN";
        await Console.Out.WriteLineAsync($"Web page on {root}/{query} (stream: {root}{WebServer.StreamPath}{query})");
        return new ServeWeb(ogg, web, ogg.RunAsync(cancellationToken));
    }
}

/// <summary>A running web side: the Ogg stream's transcoder and Kestrel; disposing stops both.</summary>
internal sealed class ServeWeb(OggLiveStream ogg, WebServer web, Task transcoding) : IAsyncDisposable
{
    public OggLiveStream Ogg => ogg;

    public async ValueTask DisposeAsync()
    {
        await web.DisposeAsync();
        await transcoding;
    }
}

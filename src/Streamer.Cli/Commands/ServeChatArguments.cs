using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Chat;
using Streamer.Protocol.Security;
using Streamer.Transport;
using Streamer.Transport.Sockets;
using Streamer.Transport.Tls;

namespace Streamer.Cli.Commands;

/// <summary>
/// <c>serve --chat-port PORT</c>: the chat room of <c>streamer chat serve</c>, hosted by the serve process on the same
/// address as the audio port and protected as it is (the same TLS certificate, the same token file: joining needs the
/// chat role), so the web page can show its members and last lines live (docs/web.md, "The chat room").
/// </summary>
internal sealed class ServeChatArguments
{
    private readonly Option<int?> _port = new("--chat-port")
    {
        Description = "Also run a chat room on this port (as 'streamer chat serve' would, same address, TLS and tokens as the audio port); the web page shows its members and last lines (0 picks a free port)",
        HelpName = "PORT",
        CustomParser = r => (int?)OptionParsers.IntegerFrom(0, 65535)(r),
    };

    private readonly Option<int> _maxClients = new("--chat-max-clients")
    {
        Description = "Most chat participants and probes at once",
        HelpName = "N",
        DefaultValueFactory = _ => 64,
        CustomParser = OptionParsers.IntegerFrom(1, 100_000),
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_port);
        command.Options.Add(_maxClients);
    }

    /// <summary>
    /// Binds the room on <paramref name="host"/> (a port in use exits 1), behind <paramref name="tls"/> and
    /// <paramref name="tokens"/> when given, or returns null without <c>--chat-port</c>.
    /// </summary>
    public async Task<ServeChat?> StartAsync(ParseResult parse, string host, TlsServerOptions? tls, AccessTokens? tokens, ILoggerFactory loggers)
    {
        if (parse.GetValue(_port) is not int port)
        {
            return null;
        }

        var options = new ChatServerOptions { MaxClients = parse.GetValue(_maxClients) };
        options.Limits.Tokens = tokens;
        var logger = loggers.CreateLogger("Streamer.Chat");
        ChatServer server;
        try
        {
            IConnectionListener listener = new SocketListener(host, port, options.Limits.Backlog, options.Limits.Connection, logger);
            if (tls is not null)
            {
                // The audio port's certificate and versions, with the chat room's own buffer bounds.
                listener = new TlsListener(listener, new TlsServerOptions
                {
                    Certificate = tls.Certificate,
                    Protocols = tls.Protocols,
                    ClientCertificateAuthorities = tls.ClientCertificateAuthorities,
                    MaxOutputBufferBytes = options.Connection.MaxOutputBufferBytes,
                    MaxInputBufferBytes = options.Connection.MaxInputBufferBytes,
                }, loggers.CreateLogger("Streamer.Tls"));
            }

            server = new ChatServer(listener, options, loggers);
        }
        catch (SocketException ex)
        {
            throw new CliException(ExitCodes.Failure, $"--chat-port: cannot listen on {new HostPort(host, port)}: {NetworkErrors.Describe(ex.SocketErrorCode)}");
        }

        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Chat room on port {server.LocalEndPoint.Port}{(tls is null ? string.Empty : " (TLS)")}{(tokens is null ? string.Empty : ", a token with the chat role needed")}"));
        return new ServeChat(server);
    }
}

/// <summary>A chat room running beside the audio server; disposing it stops listening.</summary>
internal sealed class ServeChat(ChatServer server) : IAsyncDisposable
{
    public ChatServer Server => server;

    /// <summary>Runs the room while <paramref name="serving"/> runs; when the broadcast ends the room says it is closing and its sessions end.</summary>
    public async Task RunWhileAsync(Task serving, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var chatting = server.RunAsync(stop.Token);
        try
        {
            await serving;
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await chatting;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}

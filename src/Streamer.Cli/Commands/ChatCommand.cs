using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Streamer.Chat;
using Streamer.Cli.Chat;
using Streamer.Protocol;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Cli.Commands;

/// <summary><c>streamer chat serve</c> runs the room; <c>streamer chat connect</c> joins it from a terminal or a script.</summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var command = new Command("chat", "A text chat room over the Streamer protocol (the seed's client/server, made a room)");
        command.Subcommands.Add(CreateServe());
        command.Subcommands.Add(CreateConnect());
        return command;
    }

    private static Command CreateServe()
    {
        var host = CommonOptions.Host("Address to listen on; '*' means every IPv4 and IPv6 address");
        var port = CommonOptions.Port(ChatServerOptions.DefaultPort, "TCP port to listen on (0 picks a free one)");
        var maxClients = new Option<int>("--max-clients") { Description = "Most participants and probes at once (connections still sending their hello wait apart and never count)", HelpName = "N", DefaultValueFactory = _ => 64, CustomParser = OptionParsers.IntegerFrom(1, 100_000) };
        var command = new Command("serve", "Run a chat room: every message reaches every other participant") { host, port, maxClients };
        var security = new Security.ServerSecurityOptions();
        security.AddTo(command);
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            int clients = parse.GetValue(maxClients);
            string hostText = parse.GetValue(host)!;
            int portNumber = parse.GetValue(port);
            ChatServer server;
            try
            {
                var options = new ChatServerOptions { MaxClients = clients };
                server = new ChatServer(security.Apply(parse, options.Limits, () => new SocketListener(hostText, portNumber, options.Limits.Backlog, options.Limits.Connection, loggers.CreateLogger("Streamer.Chat")), loggers), options, loggers);
            }
            catch (SocketException ex)
            {
                throw new CliException(ExitCodes.Failure, $"cannot listen on {new HostPort(hostText, portNumber)}: {NetworkErrors.Describe(ex.SocketErrorCode)}");
            }

            await using (server)
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Chat room on port {server.LocalEndPoint.Port}. Ctrl+C stops."));
                await Console.Out.FlushAsync(cancellationToken);
                await server.RunAsync(cancellationToken);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateConnect()
    {
        var server = new Argument<string>("HOST:PORT") { Description = $"Chat server, e.g. localhost:{ChatServerOptions.DefaultPort} or [::1]:{ChatServerOptions.DefaultPort}" };
        var name = new Option<string>("--name", "-n")
        {
            Description = $"Your name in the room (up to {ChatServerOptions.MaxNameLength} characters; taken names get a suffix)",
            DefaultValueFactory = _ => Environment.UserName,
        };
        var command = new Command("connect", "Join a chat room: type lines to send; 'bye', '/quit' or end of input leaves") { server, name };
        var security = new Security.ClientSecurityOptions();
        security.AddTo(command);
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            var endpoint = CommonOptions.ParseEndpoint(parse.GetValue(server)!, ChatServerOptions.DefaultPort);
            string requested = parse.GetValue(name) ?? string.Empty;
            string cleaned = ChatNames.Clean(requested);
            if (cleaned.Length == 0 || requested.Trim().Length > ChatServerOptions.MaxNameLength)
            {
                throw new CliException(ExitCodes.BadInput, $"--name must have 1 to {ChatServerOptions.MaxNameLength} visible characters, not '{PeerText.Sanitize(requested)}'");
            }

            if (ChatNames.Problem(cleaned) is { } problem)
            {
                throw new CliException(ExitCodes.BadInput, $"--name: {problem}");
            }

            var secured = security.Build(parse);
            var logger = loggers.CreateLogger("Streamer.Chat");
            await using var client = await ChatClient.ConnectAsync(secured.Wrap(ChatClient.CreateConnector(logger)), endpoint, cleaned, secured.Token, logger, cancellationToken);
            using var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
            await ChatConsole.RunAsync(client, input, Console.Out, cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}

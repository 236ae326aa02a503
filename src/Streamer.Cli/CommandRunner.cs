using System.CommandLine;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Chat;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Wav;
using Streamer.Protocol;
using Streamer.Streaming.Receive;
using Streamer.Transport;

namespace Streamer.Cli;

/// <summary>Runs a command's action and turns every expected failure into one line on stderr and its exit code.</summary>
internal static class CommandRunner
{
    public delegate Task<int> CommandAction(ParseResult parse, ILoggerFactory loggers, CancellationToken cancellationToken);

    public static void SetGuardedAction(this Command command, CommandAction action)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = GlobalOptions.CreateLoggerFactory(parse);
            try
            {
                return await action(parse, loggers, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("streamer: interrupted");
                return ExitCodes.Interrupted;
            }
            catch (Exception ex) when (Describe(ex) is { } failure)
            {
                // Messages may carry a peer's words (its error text, codec or format name): neutralized, so a
                // server can neither drive the terminal nor forge a second line.
                await Console.Error.WriteLineAsync("streamer: error: " + PeerText.Sanitize(failure.Message));
                return failure.ExitCode;
            }
        });
    }

    private static (int ExitCode, string Message)? Describe(Exception ex) => ex switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        InvalidWavException wav => (ExitCodes.BadInput, wav.Message),
        CodecException codec => (ExitCodes.BadInput, codec.Message),
        SocketException socket => (ExitCodes.Failure, NetworkErrors.Describe(socket.SocketErrorCode)),
        RemoteErrorException remote => (ExitCodes.Failure, "the server said: " + remote.Message),
        ConnectionLostException lost => (ExitCodes.Failure, lost.Message),
        ProtocolException protocol => (ExitCodes.Failure, protocol.Message),
        IOException io => (ExitCodes.Failure, io.Message),
        UnauthorizedAccessException access => (ExitCodes.Failure, access.Message),
        _ => null,
    };
}

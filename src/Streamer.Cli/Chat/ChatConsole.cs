using Streamer.Chat;
using Streamer.Protocol;

namespace Streamer.Cli.Chat;

/// <summary>
/// Runs a chat session on text streams, the way a terminal or a script uses it: lines read from the input are
/// sent while room messages are written to the output as they arrive. "bye" (the seed's word), "/quit" or the
/// end of the input leaves. Everything from peers is neutralized by <see cref="ChatText"/> before it is written.
/// </summary>
internal static class ChatConsole
{
    private static readonly TimeSpan LeaveGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Returns when the user leaves. Throws <see cref="ChatClosedException"/> when the server ends the session
    /// first, or <see cref="RemoteErrorException"/> when it says why (dropped, closing).
    /// </summary>
    public static async Task RunAsync(ChatClient client, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var console = TextWriter.Synchronized(output);
        using var stopReceiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = Task.Run(() => ReceiveAsync(client, console, stopReceiving.Token), CancellationToken.None);
        // Reading stdin can block a thread: keep it off the path that notices the server going away.
        var typing = Task.Run(() => TypeAsync(client, input, console, cancellationToken), CancellationToken.None);
        var first = await Task.WhenAny(receiving, typing);
        if (first == receiving)
        {
            await receiving;
            throw new ChatClosedException("the server closed the connection");
        }

        await typing;
        await client.LeaveAsync();
        // Let messages already on their way in (and the server's close) arrive before going.
        try
        {
            await receiving.WaitAsync(LeaveGrace, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
        catch (Exception ex) when (ex is IOException or ProtocolException or RemoteErrorException)
        {
        }
        finally
        {
            await stopReceiving.CancelAsync();
        }
    }

    /// <summary>How a room message is shown: "name: text", or "* ..." for joins, leaves and notices.</summary>
    public static string Format(ChatMessage message)
    {
        string from = PeerText.Sanitize(message.From);
        string text = PeerText.Sanitize(message.Text);
        return message.Event switch
        {
            ChatEvents.Message => from + ": " + text,
            ChatEvents.Join => "* " + from + " joined",
            ChatEvents.Leave => "* " + from + " left" + (text.Length > 0 ? " (" + text + ")" : string.Empty),
            _ => "* " + text,
        };
    }

    public static bool IsLeaveCommand(string line)
    {
        string command = line.Trim();
        return command.Equals("bye", StringComparison.OrdinalIgnoreCase) || command.Equals("/quit", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task ReceiveAsync(ChatClient client, TextWriter output, CancellationToken cancellationToken)
    {
        while (await client.ReceiveAsync(cancellationToken) is { } message)
        {
            await output.WriteLineAsync(Format(message));
            await output.FlushAsync(cancellationToken);
        }
    }

    private static async Task TypeAsync(ChatClient client, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (IsLeaveCommand(line))
            {
                return;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (ChatClient.CheckMessage(line) is { } problem)
            {
                await output.WriteLineAsync("* " + problem);
                await output.FlushAsync(cancellationToken);
                continue;
            }

            if (!await client.SendAsync(line, cancellationToken))
            {
                throw new ChatClosedException("the connection to the server is gone");
            }
        }
    }
}

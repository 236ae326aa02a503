using System.Globalization;

namespace Streamer.Protocol;

/// <summary>The hello exchange both sides run first: versions must match exactly, or the server says why and closes.</summary>
internal static class Handshake
{
    public static string Agent { get; } = "streamer/" + (typeof(Handshake).Assembly.GetName().Version?.ToString(3) ?? "0");

    /// <summary>
    /// Server side: waits for the client's hello and answers with <paramref name="serverHello"/>. Returns the
    /// client's hello, or throws <see cref="ProtocolException"/> (after telling the client, where it can be told).
    /// </summary>
    public static async Task<HelloMessage> AcceptAsync(FrameReader reader, FrameSender sender, HelloMessage serverHello, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        FrameReadOutcome outcome;
        try
        {
            outcome = await reader.ReadAsync(timeoutCts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProtocolException(string.Create(CultureInfo.InvariantCulture, $"no hello within {timeout.TotalSeconds:0.#} s"));
        }

        var hello = ExpectHello(reader, outcome, "client");
        if (hello.Version != ProtocolVersion.Current)
        {
            string message = string.Create(CultureInfo.InvariantCulture, $"protocol version mismatch: server speaks {ProtocolVersion.Current}, client speaks {hello.Version}");
            await sender.SendAsync(new ErrorMessage("version-mismatch", message), cancellationToken);
            throw new ProtocolException(message);
        }

        await sender.SendAsync(serverHello, cancellationToken);
        return hello;
    }

    /// <summary>Client side: sends our hello and reads the server's; a server error frame becomes a <see cref="RemoteErrorException"/>.</summary>
    public static async Task<HelloMessage> ConnectAsync(FrameReader reader, FrameSender sender, HelloMessage clientHello, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await sender.SendAsync(clientHello, timeoutCts.Token);
            var outcome = await reader.ReadAsync(timeoutCts.Token);
            var hello = ExpectHello(reader, outcome, "server");
            if (hello.Version != ProtocolVersion.Current)
            {
                throw new ProtocolException(string.Create(CultureInfo.InvariantCulture, $"protocol version mismatch: client speaks {ProtocolVersion.Current}, server speaks {hello.Version}"));
            }

            return hello;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProtocolException(string.Create(CultureInfo.InvariantCulture, $"the server sent no hello within {timeout.TotalSeconds:0.#} s (is it a Streamer server?)"));
        }
    }

    private static HelloMessage ExpectHello(FrameReader reader, FrameReadOutcome outcome, string peer)
    {
        switch (outcome)
        {
            case FrameReadOutcome.Frame when reader.Current.Header.Kind == FrameKind.Hello:
                return HelloMessage.Read(reader.Current.Payload);
            case FrameReadOutcome.Frame when reader.Current.Header.Kind == FrameKind.Error:
                var error = ErrorMessage.Read(reader.Current.Payload);
                throw new RemoteErrorException(error.Code, error.Message);
            case FrameReadOutcome.Frame:
                throw new ProtocolException($"{peer} sent a {Describe(reader.Current.Header.Kind)} frame before its hello");
            case FrameReadOutcome.TooLarge:
                throw new ProtocolException(string.Create(CultureInfo.InvariantCulture, $"{peer} announced a frame of {reader.AnnouncedLength} bytes, over the limit"));
            case FrameReadOutcome.Malformed:
                throw new ProtocolException($"{peer} sent bytes that are not a Streamer frame");
            case FrameReadOutcome.End:
                throw new PeerClosedException($"{peer} closed the connection before its hello");
            default:
                throw new ProtocolException($"{peer} closed the connection in the middle of its hello");
        }
    }

    public static string Describe(FrameKind kind)
        => Enum.IsDefined(kind) ? kind.ToString() : "kind " + ((int)kind).ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Reflection;
using Streamer.Protocol.Security;
using Streamer.Transport;
using Streamer.Transport.Tls;

namespace Streamer.Protocol;

/// <summary>The hello exchange both sides run first: versions must match exactly, or the server says why and closes.</summary>
public static class Handshake
{
    /// <summary>
    /// "streamer/" and the build's version: the assembly's informational version (the one <c>streamer --version</c>
    /// prints, set once in Directory.Build.props) without its "+commit" suffix.
    /// </summary>
    public static string Agent { get; } = "streamer/" + ProductVersion(typeof(Handshake).Assembly);

    /// <summary>
    /// Server side: waits for the client's hello and answers with <paramref name="serverHello"/>. Returns the
    /// client's hello. A hello that is malformed or of another version is answered with an error frame instead of
    /// our hello (<see cref="Refusal"/>), then <see cref="HandshakeRefusedException"/> is thrown; bytes that are not
    /// frames at all throw <see cref="ProtocolException"/> (nothing sensible can be said to such a peer).
    /// With <paramref name="serverHello"/> null the caller answers later: a server may still refuse with <c>server-full</c>.
    /// </summary>
    public static Task<HelloMessage> AcceptAsync(IConnection connection, FrameReader reader, FrameSender sender, HelloMessage? serverHello, TimeSpan timeout, CancellationToken cancellationToken)
        => AcceptAsync(connection, reader, sender, serverHello, timeout, tokens: null, cancellationToken);

    /// <summary>
    /// As the other overload, and then the server's access rules: a plain client on a TLS port is refused with
    /// <c>tls-required</c>, and with <paramref name="tokens"/> a hello without an accepted token (or whose token does
    /// not allow its role) with <c>unauthorized</c>, both in place of the server's hello (see docs/security.md).
    /// </summary>
    public static async Task<HelloMessage> AcceptAsync(IConnection connection, FrameReader reader, FrameSender sender, HelloMessage? serverHello, TimeSpan timeout, AccessTokens? tokens, CancellationToken cancellationToken)
    {
        if (connection is ITlsConnection tls)
        {
            // The TLS handshake runs under its own deadline (TlsServerOptions.HandshakeTimeout); the hello's starts after
            // it, so a slow but real handshake does not eat the hello's budget. A failed one ends the input: read below.
            await tls.Negotiated.WaitAsync(cancellationToken);
        }

        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        FrameReadOutcome outcome;
        try
        {
            outcome = await ReadKnownAsync(reader, timeoutCts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProtocolException(string.Create(CultureInfo.InvariantCulture, $"no hello within {timeout.TotalSeconds:0.#} s"));
        }

        HelloMessage hello;
        try
        {
            if (outcome == FrameReadOutcome.Frame && reader.Current.Header.Kind != FrameKind.Hello)
            {
                throw new ProtocolException($"the first frame must be a hello, not a {Describe(reader.Current.Header.Kind)} frame");
            }

            hello = ExpectHello(reader, outcome, "client");
        }
        catch (ProtocolException ex) when (outcome == FrameReadOutcome.Frame)
        {
            // A whole frame that is not a usable hello: the peer speaks frames, so it can be told what is wrong.
            throw await RefuseAsync(connection, sender, reader, "bad-hello", ex.Message);
        }

        if (hello.Version != ProtocolVersion.Current)
        {
            string message = string.Create(CultureInfo.InvariantCulture, $"protocol version mismatch: server speaks {ProtocolVersion.Current}, client speaks {hello.Version}");
            throw await RefuseAsync(connection, sender, reader, "version-mismatch", message);
        }

        if (connection is ITlsConnection { IsEncrypted: false })
        {
            throw await RefuseAsync(connection, sender, reader, "tls-required", "this server accepts only TLS connections: connect with --tls (or --tls-fingerprint, --tls-ca)");
        }

        if (tokens?.Refusal(hello) is { } unauthorized)
        {
            throw await RefuseAsync(connection, sender, reader, "unauthorized", unauthorized);
        }

        if (serverHello is not null)
        {
            await sender.SendAsync(serverHello, cancellationToken);
        }

        return hello;
    }

    /// <summary>Client side: sends our hello and reads the server's; a server error frame becomes a <see cref="RemoteErrorException"/>.</summary>
    public static async Task<HelloMessage> ConnectAsync(FrameReader reader, FrameSender sender, HelloMessage clientHello, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        try
        {
            // A send that fails (the server already refused and reset) is not the news: its error frame, read next, is.
            await sender.SendAsync(clientHello, timeoutCts.Token);
            var outcome = await ReadKnownAsync(reader, timeoutCts.Token);
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

    /// <summary>
    /// Client side, after <see cref="ConnectAsync"/>: reads up to the stream info (skipping what may come before it,
    /// such as pongs). A server error frame becomes a <see cref="RemoteErrorException"/>; audio before the stream info
    /// a <see cref="ProtocolException"/>; a connection that ends (or breaks off mid-frame) first a
    /// <see cref="PeerClosedException"/>. The one reading of a stream's start, for the player and the bench's listeners.
    /// </summary>
    public static async Task<StreamInfoMessage> ReadStreamInfoAsync(FrameReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (true)
        {
            if (await reader.ReadAsync(cancellationToken) != FrameReadOutcome.Frame)
            {
                throw new PeerClosedException("the server closed the connection before the stream started");
            }

            switch (reader.Current.Header.Kind)
            {
                case FrameKind.StreamInfo:
                    return StreamInfoMessage.Read(reader.Current.Payload);
                case FrameKind.Error:
                    var error = ErrorMessage.Read(reader.Current.Payload);
                    throw new RemoteErrorException(error.Code, error.Message);
                case FrameKind.Audio:
                    throw new ProtocolException("the server sent audio before the stream info");
            }
        }
    }

    /// <summary>The build's version without the "+commit" the SDK appends to the informational version.</summary>
    public static string ProductVersion(Assembly assembly)
    {
        string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString(3)
            ?? "0";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    /// <summary>The kind's name for messages ("Audio"), or "kind N" for a number this version does not know.</summary>
    public static string Describe(FrameKind kind)
        => Enum.IsDefined(kind) ? kind.ToString() : "kind " + ((int)kind).ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads the next frame, skipping kinds this version does not know (a later version may add kinds).</summary>
    private static async Task<FrameReadOutcome> ReadKnownAsync(FrameReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var outcome = await reader.ReadAsync(cancellationToken);
            if (outcome != FrameReadOutcome.Frame || Enum.IsDefined(reader.Current.Header.Kind))
            {
                return outcome;
            }
        }
    }

    private static async Task<HandshakeRefusedException> RefuseAsync(IConnection connection, FrameSender sender, FrameReader reader, string code, string message)
    {
        await Refusal.SendAsync(connection, sender, reader, code, message);
        return new HandshakeRefusedException(code, message);
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
            case FrameReadOutcome.TooLarge or FrameReadOutcome.Malformed or FrameReadOutcome.Truncated when ForeignProtocols.Describe(reader.Foreign) is { } foreign:
                throw new ProtocolException($"{peer} {foreign}");
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
}

using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Streamer.Protocol;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Chat;

/// <summary>
/// A participant's end of the room: connect, hello with role "chat" and a name, then send lines and receive
/// room messages. Sending and receiving may run on different tasks at once (full duplex).
/// </summary>
public sealed class ChatClient : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Room messages are small: 64 KiB bounds a frame from the server.</summary>
    private const long MaxFrameLength = 64 * 1024;

    private readonly IConnection _connection;
    private readonly FrameReader _reader;
    private readonly FrameSender _sender;

    private ChatClient(IConnection connection, long maxFrameLength)
    {
        _connection = connection;
        _reader = new FrameReader(connection.Input, maxFrameLength);
        _sender = new FrameSender(connection.Output);
    }

    /// <summary>The server's hello (its version and agent).</summary>
    public HelloMessage ServerHello { get; private set; } = null!;

    /// <summary>
    /// Connects and says hello. Throws <see cref="System.Net.Sockets.SocketException"/> when it cannot connect,
    /// <see cref="RemoteErrorException"/> when the server refuses (full, bad name) and
    /// <see cref="ProtocolException"/> when the peer is not a Streamer endpoint.
    /// </summary>
    public static Task<ChatClient> ConnectAsync(HostPort server, string name, ILogger logger, CancellationToken cancellationToken)
        => ConnectAsync(new SocketConnector(new SocketConnectionOptions { MaxFrameLength = MaxFrameLength }, ConnectTimeout, logger), server, name, logger, cancellationToken);

    /// <summary>A connector like the default one's (10 s connect timeout, 64 KiB frames), to wrap (TLS) and pass to another overload.</summary>
    public static IConnectionFactory CreateConnector(ILogger logger) => new SocketConnector(new SocketConnectionOptions { MaxFrameLength = MaxFrameLength }, ConnectTimeout, logger);

    /// <summary>As the other overload, over <paramref name="connector"/>'s transport (the tests use the memory one).</summary>
    public static Task<ChatClient> ConnectAsync(IConnectionFactory connector, HostPort server, string name, ILogger logger, CancellationToken cancellationToken)
        => ConnectAsync(connector, server, name, token: null, logger, cancellationToken);

    /// <summary>As the other overloads, sending <paramref name="token"/> in the hello (a server with a token file needs it; never logged).</summary>
    public static async Task<ChatClient> ConnectAsync(IConnectionFactory connector, HostPort server, string name, string? token, ILogger logger, CancellationToken cancellationToken)
    {
        var connection = await connector.ConnectAsync(new DnsEndPoint(server.Host, server.Port), cancellationToken);
        var client = new ChatClient(connection, MaxFrameLength);
        try
        {
            var hello = new HelloMessage(ProtocolVersion.Current, "chat", Handshake.Agent, [], name) { Token = token };
            client.ServerHello = await Handshake.ConnectAsync(client._reader, client._sender, hello, ConnectTimeout, cancellationToken);
            ChatLog.ClientConnected(logger, server.ToString(), PeerText.Sanitize(client.ServerHello.Agent));
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Why a line cannot be sent, or null when it can: too long for the room's limit.</summary>
    public static string? CheckMessage(string text)
    {
        int bytes = Encoding.UTF8.GetByteCount(text);
        return bytes > ChatServerOptions.MaxMessageBytes
            ? string.Create(CultureInfo.InvariantCulture, $"not sent: the message is {bytes} bytes; the limit is {ChatServerOptions.MaxMessageBytes}")
            : null;
    }

    /// <summary>Sends one message; returns false when the connection is gone.</summary>
    public ValueTask<bool> SendAsync(string text, CancellationToken cancellationToken)
        => _sender.SendAsync(new ChatMessage(string.Empty, text, ChatEvents.Message), cancellationToken);

    /// <summary>
    /// The next room message, or null when the server closed the connection. An error frame from the server
    /// becomes a <see cref="RemoteErrorException"/>; a broken frame a <see cref="ProtocolException"/>.
    /// </summary>
    public async Task<ChatMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var outcome = await _reader.ReadAsync(cancellationToken);
            switch (outcome)
            {
                case FrameReadOutcome.End:
                    return null;
                case FrameReadOutcome.Truncated:
                    throw new ProtocolException("the server closed the connection in the middle of a frame");
                case FrameReadOutcome.TooLarge:
                    throw new ProtocolException(string.Create(CultureInfo.InvariantCulture, $"the server announced a frame of {_reader.AnnouncedLength} bytes, over the limit"));
                case FrameReadOutcome.Malformed:
                    throw new ProtocolException("the server sent bytes that are not a Streamer frame");
            }

            switch (_reader.Current.Header.Kind)
            {
                case FrameKind.Chat:
                    return ChatMessage.Read(_reader.Current.Payload);
                case FrameKind.Error:
                    var error = ErrorMessage.Read(_reader.Current.Payload);
                    throw new RemoteErrorException(error.Code, PeerText.Sanitize(error.Message));
            }
        }
    }

    /// <summary>Leaves the room: no more messages from us; the server announces it and closes.</summary>
    public ValueTask LeaveAsync() => _connection.Output.CompleteAsync();

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _sender.Dispose();
    }
}

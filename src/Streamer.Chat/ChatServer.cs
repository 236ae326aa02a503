using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Protocol;
using Streamer.Protocol.Hosting;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Chat;

/// <summary>
/// The chat room server: runs a <see cref="ChatParticipant"/> for each connection the shared
/// <see cref="ConnectionHost"/> admits. Probes (hello role "probe") get their pings answered and never join the room.
/// </summary>
public sealed class ChatServer : IAsyncDisposable
{
    private readonly ConnectionHost _host;
    private readonly ChatRoom _room;

    /// <summary>Binds at once, so a port in use fails here with a <see cref="SocketException"/>.</summary>
    public ChatServer(string host, int port, ChatServerOptions options, ILoggerFactory loggers)
        : this(new SocketListener(host, port, options.Limits.Backlog, options.Limits.Connection, loggers.CreateLogger("Streamer.Chat")), options, loggers)
    {
    }

    /// <summary>Serves what <paramref name="listener"/> accepts (any transport); disposing the server disposes it.</summary>
    public ChatServer(IConnectionListener listener, ChatServerOptions options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Streamer.Chat");
        _room = new ChatRoom(options.MaxClients);
        _host = new ConnectionHost(
            listener,
            options.Limits,
            connection => new ChatParticipant(connection, _room, options, logger),
            "the chat room is full; try again later",
            logger);
        ChatLog.Listening(logger, _host.LocalEndPoint);
    }

    /// <summary>The socket address served (for a server made with a host and port).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_host.LocalEndPoint;

    /// <summary>Participants in the room now.</summary>
    public int Participants => _room.Count;

    /// <summary>Lines the room has relayed since it opened (joins, leaves, messages, notices).</summary>
    public long LinesRelayed => _room.History.Count;

    /// <summary>The participants' names now, in join order (cleaned names: visible, no controls).</summary>
    public IReadOnlyList<string> Members() => _room.Names();

    /// <summary>A task that completes when the room relays its next line (a join, a leave, a message, a notice); never faults. Ask again for the one after.</summary>
    public Task NextLine => _room.History.Changed;

    /// <summary>The room's last <paramref name="count"/> lines (at most 50), oldest first, neutralized for display.</summary>
    public IReadOnlyList<ChatLine> RecentLines(int count) => _room.History.Recent(count);

    /// <summary>Connections still in their hello now.</summary>
    public int PendingConnections => _host.PendingConnections;

    /// <summary>Accepts connections until cancelled; then tells the room it is closing and waits for every connection to end.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _host.AcceptAsync(cancellationToken);

        // Participants stop only after they have been told the room is closing.
        _room.Broadcast(new ChatMessage(string.Empty, "the room is closing", ChatEvents.Notice), null);
        await _host.StopAsync();
    }

    /// <summary>Stops listening; <see cref="RunAsync"/> then ends the sessions.</summary>
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}

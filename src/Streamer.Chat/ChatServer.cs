using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Protocol;
using Streamer.Protocol.Hosting;
using Streamer.Transport;

namespace Streamer.Chat;

/// <summary>
/// The chat room server: accepts connections on the Streamer transport and runs a <see cref="ChatParticipant"/>
/// for each, up to a bound. Probes (hello role "probe") get their pings answered and never join the room.
/// </summary>
internal sealed class ChatServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly ChatServerOptions _options;
    private readonly ILogger _logger;
    private readonly ChatRoom _room = new();
    private readonly HashSet<Task> _connections = [];
    private readonly Lock _connectionsLock = new();

    /// <summary>Binds at once, so a port in use fails here with a <see cref="SocketException"/>.</summary>
    public ChatServer(string host, int port, ChatServerOptions options, ILoggerFactory loggers)
    {
        _listener = TcpListenerFactory.Listen(host, port);
        _options = options;
        _logger = loggers.CreateLogger("Streamer.Chat");
        ChatLog.Listening(_logger, _listener.LocalEndPoint);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Participants in the room now.</summary>
    public int Participants => _room.Count;

    /// <summary>Accepts connections until cancelled; then tells the room it is closing and waits for every connection to end.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Participants stop on their own signal, raised only after they have been told the room is closing.
        using var participantsStop = new CancellationTokenSource();
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException)
            {
                continue;
            }

            var connection = new SocketConnection(socket, _options.Connection, _logger);
            connection.Start();
            if (ActiveConnections() >= _options.MaxClients)
            {
                ChatLog.Refused(_logger, connection.RemoteEndPoint, "the room is full");
                Track(RefuseAsync(connection));
                continue;
            }

            Track(new ChatParticipant(connection, _room, _options, _logger).RunAsync(participantsStop.Token));
        }

        _room.Broadcast(new ChatMessage(string.Empty, "the room is closing", ChatEvents.Notice), null);
        await participantsStop.CancelAsync();
        Task[] remaining;
        lock (_connectionsLock)
        {
            remaining = [.. _connections];
        }

        await Task.WhenAll(remaining);
    }

    public ValueTask DisposeAsync()
    {
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }

    private int ActiveConnections()
    {
        lock (_connectionsLock)
        {
            return _connections.Count;
        }
    }

    private void Track(Task connection)
    {
        lock (_connectionsLock)
        {
            _connections.Add(connection);
        }

        connection.ContinueWith(
            (t, state) =>
            {
                var self = (ChatServer)state!;
                lock (self._connectionsLock)
                {
                    self._connections.Remove(t);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static async Task RefuseAsync(SocketConnection connection)
    {
        using (var sender = new FrameSender(connection.Output))
        {
            await Refusal.SendAsync(connection, sender, null, "server-full", "the chat room is full; try again later");
        }

        await connection.DisposeAsync();
    }
}

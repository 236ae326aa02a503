using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Streamer.Protocol.ClockSync;
using Streamer.Protocol.Hosting;
using Streamer.Protocol;
using Streamer.Transport;

namespace Streamer.Chat;

/// <summary>
/// One connection to the chat server: the hello, then either a probe (pings answered) or a participant.
/// A participant's frames are read by one loop and everything sent to it goes through a bounded outbox
/// drained by a writer loop, so the room only ever enqueues and never waits on a peer.
/// </summary>
internal sealed class ChatParticipant : IHostedConnection
{
    private static readonly TimeSpan FinalDrain = TimeSpan.FromSeconds(2);

    private readonly IConnection _connection;
    private readonly ChatRoom _room;
    private readonly ChatServerOptions _options;
    private readonly ILogger _logger;
    private readonly FrameReader _reader;
    private readonly FrameSender _sender;
    private readonly Channel<IControlMessage> _outbox;
    private readonly CancellationTokenSource _readStop = new();
    private readonly CancellationTokenSource _writeStop = new();
    private string? _dropReason;
    private volatile bool _outboxClosed;
    private HelloMessage? _hello;

    public ChatParticipant(IConnection connection, ChatRoom room, ChatServerOptions options, ILogger logger)
    {
        _connection = connection;
        _room = room;
        _options = options;
        _logger = logger;
        _reader = new FrameReader(connection.Input, options.Connection.MaxFrameLength);
        _sender = new FrameSender(connection.Output);
        _outbox = Channel.CreateBounded<IControlMessage>(new BoundedChannelOptions(Math.Max(1, options.OutboxCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        ChatMetrics.Connections.Add(1);
    }

    /// <summary>The name in the room, set on joining.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Phase 1, in the host's pending pool: reads and checks the client's hello; the answer waits for a slot.</summary>
    public async Task<bool> AcceptHelloAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            _hello = await Handshake.AcceptAsync(_connection, _reader, _sender, null, timeout, _options.Limits.Tokens, cancellationToken);
            return true;
        }
        catch (HandshakeRefusedException ex)
        {
            // Already told (error frame, then a linger so it arrives): no reset.
            ChatLog.Refused(_logger, _connection.RemoteEndPoint, ex.Message);
        }
        catch (Exception ex) when (ex is ProtocolException or IOException or RemoteErrorException)
        {
            ChatLog.Refused(_logger, _connection.RemoteEndPoint, ex.Message);
            if (_reader.Foreign == ForeignProtocol.HttpRequest)
            {
                await ForeignProtocols.AnswerHttpAsync(_connection, "chat", "streamer chat connect HOST:PORT");
            }

            _connection.Abort();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return false;
    }

    /// <summary>Phase 2, in a slot: answers the hello, then serves a probe or a participant.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var stopReading = stopping.Register(static s => ((ChatParticipant)s!)._readStop.Cancel(), this);
        try
        {
            var hello = _hello ?? throw new InvalidOperationException("the participant ran before its hello was accepted");
            await _sender.SendAsync(new HelloMessage(ProtocolVersion.Current, "chat-server", Handshake.Agent, []), _readStop.Token);
            switch (hello.Role)
            {
                case "probe":
                    ChatLog.Probed(_logger, _connection.RemoteEndPoint, PeerText.ForDisplay(hello.Agent));
                    await AnswerProbeAsync();
                    break;
                case "chat":
                    string name = CleanName(hello.Name);
                    if (hello.Name?.Length > ChatServerOptions.MaxNameLength)
                    {
                        await RefuseAsync("bad-name", string.Create(CultureInfo.InvariantCulture, $"a chat name may have at most {ChatServerOptions.MaxNameLength} characters (UTF-16 code units: an emoji counts two)"));
                    }
                    else if (ChatNames.Problem(name) is { } problem)
                    {
                        await RefuseAsync("bad-name", problem);
                    }
                    else
                    {
                        await ChatAsync(name, hello.Agent);
                    }

                    break;
                default:
                    await RefuseAsync("wrong-role", $"this is a chat room, not for '{PeerText.Sanitize(hello.Role)}' clients; use 'streamer chat connect'");
                    break;
            }
        }
        catch (OperationCanceledException) when (_readStop.IsCancellationRequested)
        {
        }
        finally
        {
            await stopReading.DisposeAsync();
            await _connection.DisposeAsync();
            _sender.Dispose();
            _readStop.Dispose();
            _writeStop.Dispose();
        }
    }

    /// <summary>Queues a frame for this participant; if its outbox is full it is too slow for the room and is dropped.</summary>
    public void Enqueue(IControlMessage message)
    {
        if (!_outbox.Writer.TryWrite(message) && !_outboxClosed)
        {
            Drop(string.Create(CultureInfo.InvariantCulture, $"too slow: {_options.OutboxCapacity} messages waiting to be sent"));
        }
    }

    /// <summary>The name as shown in the room (see <see cref="ChatNames.Clean"/>).</summary>
    public static string CleanName(string? requested) => ChatNames.Clean(requested);

    private void Drop(string reason)
    {
        if (Interlocked.CompareExchange(ref _dropReason, reason, null) is null)
        {
            // Cancel off this thread: the caller may be relaying another participant's message.
            _ = Task.Run(() =>
            {
                try
                {
                    _writeStop.Cancel();
                    _readStop.Cancel();
                }
                catch (ObjectDisposedException)
                {
                }
            });
        }
    }

    private async Task ChatAsync(string requestedName, string agent)
    {
        if (_room.Join(this, requestedName, out string[] others, out int othersCount) is not { } name)
        {
            await RefuseAsync("server-full", "the chat room is full; try again later");
            return;
        }

        ChatLog.Joined(_logger, name, _connection.RemoteEndPoint, PeerText.Sanitize(agent), _room.Count);
        ChatMetrics.ActiveParticipants.Add(1);
        var writing = WriteLoopAsync();
        Enqueue(new ChatMessage(string.Empty, ChatRoom.WelcomeText(name, others, othersCount), ChatEvents.Notice));
        _room.Broadcast(new ChatMessage(name, string.Empty, ChatEvents.Join), this);
        string? problem = null;
        try
        {
            problem = await ReadLoopAsync();
        }
        catch (OperationCanceledException) when (_readStop.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            problem = "connection lost";
        }
        catch (ProtocolException ex)
        {
            problem = "sent garbage: " + ex.Message;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever broke the loop (a parser bug, say), the participant must leave: a member nobody reads for
            // is a ghost that keeps its name and is listed in every welcome.
            problem = "its connection failed: " + ex.Message;
        }

        string? dropped = Volatile.Read(ref _dropReason) ?? problem;
        ChatMetrics.ActiveParticipants.Add(-1);
        if (_room.Leave(this))
        {
            _room.Broadcast(new ChatMessage(name, dropped is null ? string.Empty : "dropped: " + dropped, ChatEvents.Leave), this);
            ChatLog.Left(_logger, name, _room.Count);
        }

        if (dropped is not null)
        {
            ChatLog.Dropped(_logger, name, _connection.RemoteEndPoint, dropped);
            ChatMetrics.Dropped.Add(1);
            _outbox.Writer.TryWrite(new ErrorMessage("dropped", "you were dropped: " + dropped));
        }

        _outboxClosed = true;
        _outbox.Writer.TryComplete();
        if (await Task.WhenAny(writing, Task.Delay(FinalDrain)) != writing)
        {
            await _writeStop.CancelAsync();
            _connection.Abort();
        }
        else if (dropped is not null)
        {
            await Refusal.LingerAsync(_connection, _reader);
            _connection.Abort();
        }

        await writing;
    }

    private async Task<string?> ReadLoopAsync()
    {
        var bucket = new TokenBucket(_options.FramesPerSecond, _options.FrameBurst);
        while (true)
        {
            var outcome = await _reader.ReadAsync(_readStop.Token);
            switch (outcome)
            {
                case FrameReadOutcome.End:
                    return null;
                case FrameReadOutcome.Truncated:
                    return "closed the connection in the middle of a frame";
                case FrameReadOutcome.TooLarge:
                    return string.Create(CultureInfo.InvariantCulture, $"sent garbage: announced a frame of {_reader.AnnouncedLength} bytes (limit {_options.Connection.MaxFrameLength})");
                case FrameReadOutcome.Malformed:
                    return "sent garbage: not a Streamer frame";
            }

            if (!bucket.TryTake())
            {
                return string.Create(CultureInfo.InvariantCulture, $"flooding: over {_options.FramesPerSecond:0.#} messages a second");
            }

            var header = _reader.Current.Header;
            switch (header.Kind)
            {
                case FrameKind.Chat:
                    Relay(ChatMessage.Read(_reader.Current.Payload));
                    break;
                case FrameKind.Ping:
                    Enqueue(PingAnswer.For(header));
                    break;
                case FrameKind.Hello:
                    return "sent a second hello";
            }
        }
    }

    private void Relay(ChatMessage message)
    {
        if (message.Event != ChatEvents.Message || string.IsNullOrWhiteSpace(message.Text))
        {
            return;
        }

        int bytes = Encoding.UTF8.GetByteCount(message.Text);
        if (bytes > ChatServerOptions.MaxMessageBytes)
        {
            ChatLog.MessageTooLong(_logger, Name, bytes, ChatServerOptions.MaxMessageBytes);
            Enqueue(new ChatMessage(string.Empty, TooLongText(bytes), ChatEvents.Notice));
            return;
        }

        ChatLog.Relayed(_logger, Name, bytes);
        ChatMetrics.MessagesReceived.Add(1);
        _room.Broadcast(new ChatMessage(Name, message.Text, ChatEvents.Message), this);
    }

    private async Task WriteLoopAsync()
    {
        var token = _writeStop.Token;
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(token))
            {
                while (_outbox.Reader.TryRead(out var message))
                {
                    if (!await _sender.SendAsync(message, token))
                    {
                        Drop("connection lost");
                        return;
                    }

                    ChatMetrics.FramesSent.Add(1);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
        }
    }

    private async Task AnswerProbeAsync()
    {
        while (true)
        {
            // A probe that goes quiet gives its connection back after the handshake timeout.
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(_readStop.Token);
            idle.CancelAfter(_options.ProbeIdleTimeout);
            FrameReadOutcome outcome;
            try
            {
                outcome = await _reader.ReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!_readStop.IsCancellationRequested)
            {
                return;
            }
            catch (IOException)
            {
                return;
            }

            if (outcome != FrameReadOutcome.Frame)
            {
                _connection.Abort();
                return;
            }

            var header = _reader.Current.Header;
            if (header.Kind == FrameKind.Ping
                && !await PingAnswer.SendAsync(_sender, header, _readStop.Token))
            {
                return;
            }
        }
    }

    public Task RefuseAsync(string code, string message)
    {
        ChatLog.Refused(_logger, _connection.RemoteEndPoint, message);
        return Refusal.SendAsync(_connection, _sender, _reader, code, message);
    }

    public static string TooLongText(int bytes)
        => string.Create(CultureInfo.InvariantCulture, $"not delivered: your message is {bytes} bytes; the limit is {ChatServerOptions.MaxMessageBytes}");
}

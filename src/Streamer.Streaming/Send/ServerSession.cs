using System.Globalization;
using Microsoft.Extensions.Logging;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Wav;
using Streamer.Protocol.ClockSync;
using Streamer.Protocol.Hosting;
using Streamer.Protocol;
using Streamer.Streaming.Metrics;
using Streamer.Transport;

namespace Streamer.Streaming.Send;

/// <summary>
/// One client of the audio server: hello, then what its <see cref="ISessionStream"/> sends (stream info, audio, end of
/// stream). A receive loop runs beside the
/// sender to answer pings and notice the client leaving.
/// </summary>
internal sealed class ServerSession : IHostedConnection
{
    private static readonly TimeSpan LingerAfterEnd = TimeSpan.FromSeconds(5);

    private readonly IConnection _connection;
    private readonly ISessionStream _stream;
    private readonly StreamServerOptions _options;
    private readonly ILogger _logger;
    private readonly FrameReader _reader;
    private readonly FrameSender _sender;
    private readonly SessionOutput _output;
    private readonly StallWatchdog _watchdog;
    private volatile bool _outputClosed;
    private HelloMessage? _hello;
    private readonly Status.ListenerRegistry? _listeners;
    private Status.ListenerRegistry.Entry? _listed;

    public ServerSession(IConnection connection, ISessionStream stream, StreamServerOptions options, ILogger logger, StallWatchdog watchdog, Status.ListenerRegistry? listeners = null)
    {
        _watchdog = watchdog;
        _listeners = listeners;
        _connection = connection;
        _stream = stream;
        _options = options;
        _logger = logger;
        _reader = new FrameReader(connection.Input, options.Connection.MaxFrameLength, options.MinFrameDataRate);
        // A broadcast's fan-out sends straight to the connection when it can (IImmediateSend): sockets can, TLS cannot.
        _sender = new FrameSender(connection.Output, connection as IImmediateSend);
        _output = new SessionOutput(_sender, connection.RemoteEndPoint, logger) { Transport = connection };
        ServerMetrics.Connections.Add(1);
    }

    /// <summary>Phase 1, in the host's pending pool: reads and checks the client's hello; the answer waits for a slot.</summary>
    public async Task<bool> AcceptHelloAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var remote = _connection.RemoteEndPoint;
        try
        {
            _hello = await Handshake.AcceptAsync(_connection, _reader, _sender, null, timeout, _options.Limits.Tokens, cancellationToken);
            return true;
        }
        catch (HandshakeRefusedException ex)
        {
            // The client has been told why and has had its chance to read it: no reset.
            StreamingLog.ClientDropped(_logger, remote, "refused: " + ex.Message);
        }
        catch (ProtocolException ex)
        {
            StreamingLog.ClientDropped(_logger, remote, ex.Message);
            if (_reader.Foreign == ForeignProtocol.HttpRequest)
            {
                // A browser or curl: say in its own protocol what this port is.
                await ForeignProtocols.AnswerHttpAsync(_connection, "audio", "streamer play HOST:PORT");
            }
            else
            {
                _connection.Abort();
            }
        }
        catch (IOException ex)
        {
            StreamingLog.ClientHungUp(_logger, remote, ex.Message);
        }
        catch (RemoteErrorException ex)
        {
            StreamingLog.ClientDropped(_logger, remote, "it sent an error: " + ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return false;
    }

    /// <summary>No slot for this client: the error frame replaces our hello.</summary>
    public Task RefuseAsync(string code, string message) => Refusal.SendAsync(_connection, _sender, _reader, code, message);

    /// <summary>Phase 2, in a slot: answers the hello and streams.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var remote = _connection.RemoteEndPoint;
        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        IDisposable? watched = null;
        try
        {
            var hello = _hello ?? throw new InvalidOperationException("the session ran before its hello was accepted");
            var serverHello = new HelloMessage(ProtocolVersion.Current, "server", Handshake.Agent, [.. CodecRegistry.Default.Names]);
            await _sender.SendAsync(serverHello, sessionCts.Token);
            StreamingLog.ClientConnected(_logger, remote, PeerText.ForDisplay(hello.Role), PeerText.ForDisplay(hello.Agent));
            if (ClientAdmission.Refusal(hello, _stream.CodecName) is { } refusal)
            {
                // After our hello (the client knows whom it reached), like the chat server's wrong-role and bad-name.
                StreamingLog.ClientDropped(_logger, remote, "refused: " + PeerText.ForDisplay(refusal.Message));
                await Refusal.SendAsync(_connection, _sender, _reader, refusal.Code, refusal.Message);
                return;
            }

            bool probe = hello.Role == "probe";
            // A listener is bounded by its stream (and the stall watchdog); a probe only by its pings, so it gets an
            // idle deadline instead.
            var receiving = ReceiveLoopAsync(sessionCts, probe ? _options.ProbeIdleTimeout : null);
            watched = _watchdog.Watch(_output, _connection);
            if (!probe)
            {
                _listed = _listeners?.Add(remote?.ToString() ?? "?", PeerText.ForDisplay(hello.Agent), _output);
                ServerMetrics.ActiveListeners.Add(1);
                try
                {
                    await _stream.SendAsync(_output, sessionCts.Token);
                }
                finally
                {
                    ServerMetrics.ActiveListeners.Add(-1);
                }

                StreamingLog.ClientFinished(_logger, remote, _output.FramesSent, _output.BytesSent, _output.FramesDropped);

                // Half-close after the last frame: the client reads to the end, then hangs up in its own time.
                // Meanwhile the receive loop keeps reading (pings go unanswered): closing with unread input
                // would reset the connection and could destroy data the client has not read yet.
                _outputClosed = true;
                await _sender.CompleteAsync();
                try
                {
                    await receiving.WaitAsync(LingerAfterEnd, CancellationToken.None);
                }
                catch (TimeoutException)
                {
                    await sessionCts.CancelAsync();
                }
            }

            await receiving;
            await sessionCts.CancelAsync();
        }
        catch (ProtocolException ex)
        {
            StreamingLog.ClientDropped(_logger, remote, ex.Message);
            _connection.Abort();
        }
        catch (FrameRateException ex)
        {
            StreamingLog.ClientDropped(_logger, remote, ex.Message);
            _connection.Abort();
        }
        catch (PeerClosedException ex)
        {
            StreamingLog.ClientHungUp(_logger, remote, ex.Message);
        }
        catch (ConnectionResetException ex)
        {
            StreamingLog.ClientHungUp(_logger, remote, ex.Message);
        }
        catch (RemoteErrorException ex)
        {
            StreamingLog.ClientDropped(_logger, remote, "it sent an error: " + ex.Message);
        }
        catch (ClientGoneException)
        {
            StreamingLog.ClientLeft(_logger, remote, _output.FramesSent);
        }
        catch (OperationCanceledException) when (sessionCts.IsCancellationRequested)
        {
            if (!stopping.IsCancellationRequested)
            {
                StreamingLog.ClientLeft(_logger, remote, _output.FramesSent);
            }
        }
        catch (Exception ex) when (ex is IOException or CodecException or InvalidWavException)
        {
            StreamingLog.SessionFailed(_logger, remote, ex.Message);
            StreamingLog.SessionFailedDetail(_logger, ex, remote);
            await TrySendErrorAsync("server-error", ex.Message);
        }
        finally
        {
            // However the session ends, the watchdog stops looking at it.
            await sessionCts.CancelAsync();
            watched?.Dispose();
            if (_listed is { } listed)
            {
                _listeners!.Remove(listed);
            }

            _sender.Dispose();
            await _connection.DisposeAsync();
        }
    }

    private async Task ReceiveLoopAsync(CancellationTokenSource session, TimeSpan? idleTimeout)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(session.Token);
        try
        {
            while (true)
            {
                if (idleTimeout is { } timeout)
                {
                    // Re-armed by every frame: only silence runs it out.
                    idle.CancelAfter(timeout);
                }

                FrameReadOutcome outcome;
                try
                {
                    outcome = await _reader.ReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!session.IsCancellationRequested && idleTimeout is not null)
                {
                    StreamingLog.ClientDropped(_logger, _connection.RemoteEndPoint, string.Create(CultureInfo.InvariantCulture, $"a probe that sent nothing for {idleTimeout.Value.TotalSeconds:0.#} s"));
                    _connection.Abort();
                    await session.CancelAsync();
                    return;
                }

                if (outcome == FrameReadOutcome.End)
                {
                    // The client is done (or gone): stop streaming to it.
                    await session.CancelAsync();
                    return;
                }

                if (outcome != FrameReadOutcome.Frame)
                {
                    StreamingLog.ClientDropped(_logger, _connection.RemoteEndPoint, Describe(outcome));
                    _connection.Abort();
                    await session.CancelAsync();
                    return;
                }

                var header = _reader.Current.Header;
                if (header.Kind == FrameKind.Ping && !_outputClosed)
                {
                    await PingAnswer.SendAsync(_sender, header, session.Token);
                }
                else if (header.Kind == FrameKind.ClientStats)
                {
                    Status.ClientStatsIntake.Accept(_listed, _reader.Current.Payload);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (FrameRateException ex)
        {
            StreamingLog.ClientDropped(_logger, _connection.RemoteEndPoint, ex.Message);
            _connection.Abort();
            await session.CancelAsync();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // The connection broke, or a ping came after our side was already closed.
            await session.CancelAsync();
        }
#pragma warning disable CA1031 // Whatever a peer's bytes make the loop throw must end this session, not leave it streaming blind.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            StreamingLog.ReceiveFailed(_logger, _connection.RemoteEndPoint, ex.Message);
            StreamingLog.ReceiveFailedDetail(_logger, ex, _connection.RemoteEndPoint);
            _connection.Abort();
            await session.CancelAsync();
        }
    }

    private string Describe(FrameReadOutcome outcome) => outcome switch
    {
        FrameReadOutcome.TooLarge => $"announced a frame of {_reader.AnnouncedLength} bytes (limit {_options.Connection.MaxFrameLength})",
        FrameReadOutcome.Malformed => "sent a malformed frame header",
        FrameReadOutcome.Truncated => "closed the connection in the middle of a frame",
        _ => outcome.ToString(),
    };

    private async Task TrySendErrorAsync(string code, string message)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await _sender.SendAsync(new ErrorMessage(code, message), cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
        }
    }
}

using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Streamer.Media.Codecs;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Protocol.ClockSync;
using Streamer.Protocol;
using Streamer.Streaming.ClockSync;
using Streamer.Streaming.Metrics;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Streaming.Receive;

/// <summary>
/// Receives one stream: connect, hello, stream info, then audio frames into the sink chain the caller builds for it
/// (<see cref="StreamClientOptions.CreateSink"/>): the decoder in front of a jitter buffer that a clocked output (a
/// sound card) plays from or of an unclocked output (a file), or a sink that wants the packets (a recording).
/// </summary>
public sealed class StreamClient
{
    private readonly StreamClientOptions _options;
    private readonly ILogger _logger;

    /// <summary>A client that connects and builds its sink chain as <paramref name="options"/> say, logging to <paramref name="logger"/>.</summary>
    public StreamClient(StreamClientOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Streams to the end. Throws <see cref="SocketException"/> when it cannot connect,
    /// <see cref="ConnectionLostException"/> when the server vanishes (after finalizing the output),
    /// <see cref="RemoteErrorException"/> or <see cref="ProtocolException"/> on a refusal or a broken peer.
    /// </summary>
    public async Task RunAsync(HostPort server, ReceivedStream stream, CancellationToken cancellationToken)
    {
        var connector = _options.Connector ?? new SocketConnector(_options.Connection, _options.ConnectTimeout, _logger);
        var connection = await connector.ConnectAsync(new DnsEndPoint(server.Host, server.Port), cancellationToken);
        await using (connection)
        {
            var reader = new FrameReader(connection.Input, _options.Connection.MaxFrameLength);
            using var sender = new FrameSender(connection.Output);
            var hello = new HelloMessage(ProtocolVersion.Current, "play", Handshake.Agent, [.. CodecRegistry.Default.Names]) { Token = _options.Token };
            stream.ServerHello = await Handshake.ConnectAsync(reader, sender, hello, _options.ConnectTimeout, cancellationToken);
            var info = await ReadStreamInfoAsync(reader, cancellationToken);
            stream.Info = info;
            using var stopPinging = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var pinging = ClockPinger.RunAsync(sender, stopPinging.Token, () => ClientStatsReporter.Snapshot(stream));
            ClientMetrics.Started(stream);
            try
            {
                await ReceiveAsync(reader, sender, info, stream, cancellationToken);
            }
            finally
            {
                ClientMetrics.Ended(stream);
                await stopPinging.CancelAsync();
                await pinging;
            }
        }
    }

    /// <summary>A stream this build cannot decode is the server's doing, not bad input from our user.</summary>
    private static IAudioDecoder CreateDecoder(StreamInfoMessage info)
    {
        try
        {
            return CodecRegistry.Default.Get(info.Codec).CreateDecoder(info.ToCodecStreamInfo());
        }
        catch (CodecException ex)
        {
            // The message names the server's codec or format: peer text.
            throw new ProtocolException($"cannot decode the server's stream: {PeerText.ForDisplay(ex.Message)}", ex);
        }
    }

    /// <summary>The stream's start (<see cref="Handshake.ReadStreamInfoAsync"/>); a server gone first is a lost connection.</summary>
    private static async Task<StreamInfoMessage> ReadStreamInfoAsync(FrameReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await Handshake.ReadStreamInfoAsync(reader, cancellationToken);
        }
        catch (PeerClosedException ex)
        {
            throw new ConnectionLostException(ex.Message, ex);
        }
    }

    /// <summary>
    /// Has the caller build the sink chain for this stream, receives into it to the end, and finalizes it on every
    /// exit path (end, lost server, stall, cancellation, a failing output): the one place the chain's lifetime is owned.
    /// </summary>
    private async Task ReceiveAsync(FrameReader reader, FrameSender sender, StreamInfoMessage info, ReceivedStream stream, CancellationToken cancellationToken)
    {
        using var context = new ReceiveContext(info, stream, CreateDecoder, _logger, cancellationToken);
        var sink = _options.CreateSink(context);
        try
        {
            var packets = new Depacketizer(sink, stream.Stats);
            await ReceiveFramesAsync(reader, sender, packets, stream, _options.StallTimeout, _logger, context.Aborted);
        }
        catch (OperationCanceledException) when (context.Failure is { } failure && !cancellationToken.IsCancellationRequested)
        {
            // A stage failed on its own thread (a clocked output) and stopped the loop: closing the chain reports
            // the output's own error, named.
            await sink.DisposeAsync();
            ExceptionDispatchInfo.Throw(failure);
        }
        catch
        {
            // Finalize what was written; a failing output fails again on close, and the first error is the news.
            try
            {
                await sink.DisposeAsync();
            }
            catch (IOException)
            {
            }

            throw;
        }

        await sink.DisposeAsync();
    }

    /// <summary>Reads to the end of the stream; a server that sends no audio for <paramref name="stallTimeout"/> (null: no limit) fails it.</summary>
    private static async Task ReceiveFramesAsync(FrameReader reader, FrameSender sender, Depacketizer packets, ReceivedStream stream, TimeSpan? stallTimeout, ILogger logger, CancellationToken cancellationToken)
    {
        // One timer for the whole stream, pushed back by every audio frame: no allocation per packet.
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (stallTimeout is { } first)
        {
            stall.CancelAfter(first);
        }

        bool stalled = false;
        while (true)
        {
            FrameReadOutcome outcome;
            try
            {
                outcome = await reader.ReadAsync(stall.Token);
            }
            catch (ConnectionResetException ex)
            {
                throw new ConnectionLostException("the server reset the connection mid-stream", ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && stallTimeout is { } limit)
            {
                throw new ConnectionLostException(string.Create(CultureInfo.InvariantCulture, $"no audio for {limit.TotalSeconds:0.###} s: the server stopped sending (--stall-timeout)"), ex);
            }

            switch (outcome)
            {
                case FrameReadOutcome.End or FrameReadOutcome.Truncated:
                    throw new ConnectionLostException("the server closed the connection mid-stream");
                case FrameReadOutcome.TooLarge:
                    throw new ProtocolException(string.Create(CultureInfo.InvariantCulture, $"the server announced a frame of {reader.AnnouncedLength} bytes, over the limit"));
                case FrameReadOutcome.Malformed:
                    throw new ProtocolException("the server sent a malformed frame");
            }

            var frame = reader.Current;
            switch (frame.Header.Kind)
            {
                case FrameKind.Audio:
                    await packets.AcceptAsync(frame, cancellationToken);
                    if (stallTimeout is { } next)
                    {
                        // Only audio pushes the deadline back: pongs alone are no stream.
                        stall.CancelAfter(next);
                    }

                    break;
                case FrameKind.EndOfStream:
                    // Frames lost at the very end leave no gap before them: conceal up to the announced count.
                    await packets.FinishAsync(EndOfStreamMessage.Read(frame.Payload).ExpectedFrames, cancellationToken);
                    stream.Ended = true;
                    return;
                case FrameKind.Error:
                    var error = ErrorMessage.Read(frame.Payload);
                    throw new RemoteErrorException(error.Code, error.Message);
                case FrameKind.Pong:
                    ClockPinger.Accept(frame, stream.Stats.ClockOffset);
                    break;
                case FrameKind.Ping:
                    await PingAnswer.SendAsync(sender, frame.Header, cancellationToken);
                    break;
                case FrameKind.Status:
                    // A broadcast's input stalled or resumed: one line per change; the server repeats "stalled"
                    // while it lasts, and each status shows it is still there, so the stall deadline moves too.
                    stalled = Send.BroadcastLog.ServerStatus(logger, StatusMessage.Read(frame.Payload), stalled);
                    if (stallTimeout is { } wait)
                    {
                        stall.CancelAfter(wait);
                    }

                    break;
            }
        }
    }
}

using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Media.Codecs;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Protocol;
using Streamer.Streaming.ClockSync;
using Streamer.Transport;

namespace Streamer.Streaming.Receive;

/// <summary>
/// Receives one stream: connect, hello, stream info, then audio frames decoded either into the jitter buffer that
/// a clocked output (a sound card) plays from, or straight into an unclocked output (a file). Lost frames
/// (sequence gaps) are concealed so the output never shifts in time.
/// </summary>
internal sealed class StreamClient
{
    private readonly StreamClientOptions _options;
    private readonly ILogger _logger;

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
        var socket = await TcpConnector.ConnectAsync(server.Host, server.Port, _options.ConnectTimeout, cancellationToken, blocking: _options.Connection.BlockingIo);
        var connection = new SocketConnection(socket, _options.Connection, _logger);
        connection.Start();
        await using (connection)
        {
            var reader = new FrameReader(connection.Input, _options.Connection.MaxFrameLength);
            using var sender = new FrameSender(connection.Output);
            var hello = new HelloMessage(ProtocolVersion.Current, "play", Handshake.Agent, [.. CodecRegistry.Default.Names]);
            stream.ServerHello = await Handshake.ConnectAsync(reader, sender, hello, _options.ConnectTimeout, cancellationToken);
            var info = await ReadStreamInfoAsync(reader, cancellationToken);
            stream.Info = info;
            using var decoder = CreateDecoder(info);
            using var stopPinging = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var pinging = ClockPinger.RunAsync(sender, stopPinging.Token);
            try
            {
                await ReceiveAsync(reader, sender, decoder, info, stream, cancellationToken);
            }
            finally
            {
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

    private static async Task<StreamInfoMessage> ReadStreamInfoAsync(FrameReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var outcome = await reader.ReadAsync(cancellationToken);
            if (outcome != FrameReadOutcome.Frame)
            {
                throw new ConnectionLostException("the server closed the connection before the stream started");
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

    private async Task ReceiveAsync(FrameReader reader, FrameSender sender, IAudioDecoder decoder, StreamInfoMessage info, ReceivedStream stream, CancellationToken cancellationToken)
    {
        var format = decoder.OutputFormat;
        var output = _options.CreateOutput(info, format);
        stream.OutputDescription = output.Description;
        if (output is IUnclockedOutput unclocked)
        {
            await ReceiveUnclockedAsync(reader, sender, decoder, info, unclocked, stream, cancellationToken);
            return;
        }

        var clocked = output as IClockedOutput ?? throw new InvalidOperationException($"{output.GetType().Name} is neither a clocked nor an unclocked output");

        double frameMs = info.FrameSamples * 1000.0 / info.SampleRate;
        if (_options.Jitter.Mode == JitterMode.Fixed && _options.Jitter.TargetMilliseconds < frameMs)
        {
            StreamingLog.TargetBelowPacket(_logger, _options.Jitter.TargetMilliseconds, frameMs);
        }

        var jitter = new JitterBuffer(format, _options.Jitter, stream.Stats);
        stream.Buffer = jitter;
        using var outputCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var receiveCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var playing = clocked.RunAsync(jitter, outputCancel.Token);
        // An output that fails (disk full, device gone) stops the receive loop instead of leaving it waiting for
        // buffer space that nobody will free.
        _ = playing.ContinueWith(
            static (_, state) =>
            {
                var (cancel, buffer) = ((CancellationTokenSource, JitterBuffer))state!;
                try
                {
                    cancel.Cancel();
                }
                catch (ObjectDisposedException)
                {
                }

                buffer.Wake();
            },
            (receiveCancel, jitter),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        var decoded = new FrameDecoder(decoder, info, jitter, stream.Stats) { Recorder = output as IPacketRecorder };
        try
        {
            await using (output)
            {
                try
                {
                    await ReceiveFramesAsync(reader, sender, decoded, stream, _options.StallTimeout, receiveCancel.Token);
                }
                catch (OperationCanceledException) when (playing.IsFaulted)
                {
                    // The output's own failure is reported below.
                }
                finally
                {
                    jitter.Complete();
                    if (cancellationToken.IsCancellationRequested)
                    {
                        await outputCancel.CancelAsync();
                        jitter.Wake();
                    }

                    try
                    {
                        await playing;
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    catch (IOException ex)
                    {
                        throw new IOException($"{output.Description}: {ex.Message}", ex);
                    }
                }
            }
        }
        finally
        {
            decoded.Dispose();
        }
    }

    /// <summary>A file or pipe takes audio as it comes: decoded frames go straight to it, on the receive thread.</summary>
    private async Task ReceiveUnclockedAsync(FrameReader reader, FrameSender sender, IAudioDecoder decoder, StreamInfoMessage info, IUnclockedOutput output, ReceivedStream stream, CancellationToken cancellationToken)
    {
        try
        {
            var sink = new UnclockedOutputSink(output, decoder.OutputFormat, stream.Stats);
            using var decoded = new FrameDecoder(decoder, info, sink, stream.Stats) { Recorder = output as IPacketRecorder };
            await ReceiveFramesAsync(reader, sender, decoded, stream, _options.StallTimeout, cancellationToken);
        }
        catch
        {
            // Finalize what was written; a failing output fails again on close, and the first error is the news.
            try
            {
                await output.DisposeAsync();
            }
            catch (IOException)
            {
            }

            throw;
        }

        try
        {
            await output.DisposeAsync();
        }
        catch (IOException ex)
        {
            throw new IOException($"{output.Description}: {ex.Message}", ex);
        }
    }

    /// <summary>Reads to the end of the stream; a server that sends no audio for <paramref name="stallTimeout"/> (null: no limit) fails it.</summary>
    private static async Task ReceiveFramesAsync(FrameReader reader, FrameSender sender, FrameDecoder decoder, ReceivedStream stream, TimeSpan? stallTimeout, CancellationToken cancellationToken)
    {
        // One timer for the whole stream, pushed back by every audio frame: no allocation per packet.
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (stallTimeout is { } first)
        {
            stall.CancelAfter(first);
        }

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
                    await decoder.AcceptAsync(frame, cancellationToken);
                    if (stallTimeout is { } next)
                    {
                        // Only audio pushes the deadline back: pongs alone are no stream.
                        stall.CancelAfter(next);
                    }

                    break;
                case FrameKind.EndOfStream:
                    // Frames lost at the very end leave no gap before them: conceal up to the announced count.
                    await decoder.FinishAsync(EndOfStreamMessage.Read(frame.Payload).ExpectedFrames, cancellationToken);
                    stream.Ended = true;
                    return;
                case FrameKind.Error:
                    var error = ErrorMessage.Read(frame.Payload);
                    throw new RemoteErrorException(error.Code, error.Message);
                case FrameKind.Pong:
                    ClockPinger.Accept(frame, stream.Stats.ClockOffset);
                    break;
                case FrameKind.Ping:
                    await sender.SendAsync(new PongMessage(frame.Header.SendTimeUs, WallClock.NowMicroseconds()), cancellationToken);
                    break;
            }
        }
    }
}

using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Protocol;
using Streamer.Protocol.ClockSync;
using Streamer.Transport.Sockets;
using Streamer.Transport.Tls;

namespace Streamer.Bench.Listeners;

/// <summary>
/// One Streamer-protocol listener: the player's hello (role "play"), the stream info, then audio frames read with
/// the protocol's own <see cref="FrameReader"/> and counted, never decoded. Pings are answered, as a player would.
/// </summary>
internal static class ProtocolListener
{
    public static async Task RunAsync(ListenerRun run, CancellationToken stop)
    {
        var tally = run.Tally;
        Socket socket;
        IAsyncDisposable? stream = null;
        FrameReader reader;
        FrameSender sender;
        StreamInfoMessage info;
        bool entered = false;
        try
        {
            await run.Gate.WaitAsync(stop);
            entered = true;
            socket = await run.ConnectAsync(stop);
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(stop);
            handshake.CancelAfter(run.Options.ConnectTimeout);
            if (run.Options.Tls is { } tls)
            {
                // A TLS listener pays for the transport's pipes and the TLS layer's: heavier than the plain one's.
                var connection = await TlsConnector.AuthenticateAsync(SocketConnector.Wrap(socket, new SocketConnectionOptions(), NullLogger.Instance), run.Options.Host, tls, handshake.Token);
                stream = connection;
                reader = new FrameReader(connection.Input);
                sender = new FrameSender(connection.Output);
            }
            else
            {
                var (network, input, output) = ListenerRun.Pipes(socket);
                stream = network;
                reader = new FrameReader(input);
                sender = new FrameSender(output);
            }

            var hello = new HelloMessage(ProtocolVersion.Current, "play", Handshake.Agent + " bench-listeners", run.Options.Codecs) { Token = run.Options.Token };
            await Handshake.ConnectAsync(reader, sender, hello, run.Options.ConnectTimeout, handshake.Token);
            info = await ReadStreamInfoAsync(reader, handshake.Token);
        }
        catch (RemoteErrorException ex)
        {
            tally.AddRefused(ex.Code);
            await CloseAsync(stream);
            return;
        }
        catch (Exception ex) when (ex is SocketException or IOException or ProtocolException or OperationCanceledException)
        {
            if (!stop.IsCancellationRequested)
            {
                tally.AddFailed(Describe(ex));
            }

            await CloseAsync(stream);
            return;
        }
        finally
        {
            if (entered)
            {
                run.Gate.Release();
            }

            run.Settle();
        }

        tally.AddConnected();
        try
        {
            using (sender)
            {
                await ReceiveAsync(reader, sender, info, tally, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (RemoteErrorException ex)
        {
            tally.AddLost("the server said: " + ex.Code);
        }
        catch (Exception ex) when (ex is IOException or ProtocolException or SocketException)
        {
            tally.AddLost(Describe(ex));
        }
        finally
        {
            await CloseAsync(stream);
        }
    }

    private static async Task<StreamInfoMessage> ReadStreamInfoAsync(FrameReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await reader.ReadAsync(cancellationToken) != FrameReadOutcome.Frame)
            {
                throw new ProtocolException("the server closed the connection before the stream started");
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

    private static async Task ReceiveAsync(FrameReader reader, FrameSender sender, StreamInfoMessage info, ListenerTally tally, CancellationToken stop)
    {
        var tracker = default(ArrivalTracker);
        double usPerSample = 1_000_000.0 / info.SampleRate;
        while (true)
        {
            var outcome = await reader.ReadAsync(stop);
            if (outcome is FrameReadOutcome.End)
            {
                tally.AddEnded();
                return;
            }

            if (outcome is not FrameReadOutcome.Frame)
            {
                throw new ProtocolException(outcome == FrameReadOutcome.Truncated ? "the server closed the connection mid-frame" : "the server sent a malformed or oversized frame");
            }

            var header = reader.Current.Header;
            switch (header.Kind)
            {
                case FrameKind.Audio:
                    long arrival = ListenerRun.NowUs();
                    bool measuring = tally.Measuring;
                    long skippedBefore = tracker.Skipped;
                    long disorderBefore = tracker.OutOfOrder;
                    long lateness = tracker.Accept(header.Sequence, (long)(header.Timestamp * usPerSample), arrival, measuring);
                    if (measuring)
                    {
                        tally.AddFrame(reader.Current.Payload.Length, lateness, WallClock.NowMicroseconds() - header.SendTimeUs);
                        tally.AddSkipped(tracker.Skipped - skippedBefore, tracker.OutOfOrder - disorderBefore);
                    }

                    break;
                case FrameKind.EndOfStream:
                    tally.AddEnded();
                    return;
                case FrameKind.Error:
                    var error = ErrorMessage.Read(reader.Current.Payload);
                    throw new RemoteErrorException(error.Code, error.Message);
                case FrameKind.Ping:
                    await PingAnswer.SendAsync(sender, header, stop);
                    break;
            }
        }
    }

    /// <summary>The reason a listener failed, in words; a socket error by its name, without the runtime's type.</summary>
    internal static string Describe(Exception ex) => ex switch
    {
        SocketException socket => "connect: " + Words(socket.SocketErrorCode.ToString()),
        OperationCanceledException => "timed out",
        _ => ex.Message,
    };

    /// <summary>"ConnectionRefused" → "connection refused": the error's name, not the runtime's sentence (which varies by OS).</summary>
    private static string Words(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 4);
        foreach (char c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    private static async Task CloseAsync(IAsyncDisposable? stream)
    {
        if (stream is not null)
        {
            await stream.DisposeAsync();
        }
    }
}

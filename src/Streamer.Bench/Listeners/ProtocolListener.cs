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
internal sealed class ProtocolListener(ListenerBenchOptions options) : ListenerConnection
{
    private Socket? _socket;
    private IAsyncDisposable? _stream;
    private FrameReader? _reader;
    private FrameSender? _sender;
    private StreamInfoMessage? _info;

    protected override async Task<bool> OpenAsync(Socket socket, ListenerTally tally, CancellationToken handshake)
    {
        _socket = socket;
        if (options.Tls is { } tls)
        {
            // A TLS listener pays for the transport's pipes and the TLS layer's: heavier than the plain one's.
            var connection = await TlsConnector.AuthenticateAsync(SocketConnector.Wrap(socket, new SocketConnectionOptions(), NullLogger.Instance), options.Host, tls, handshake);
            _stream = connection;
            _reader = new FrameReader(connection.Input);
            _sender = new FrameSender(connection.Output);
        }
        else
        {
            var (network, input, output) = ListenerRun.Pipes(socket);
            _stream = network;
            _reader = new FrameReader(input);
            _sender = new FrameSender(output);
        }

        var hello = new HelloMessage(ProtocolVersion.Current, "play", Handshake.Agent + " bench-listeners", options.Codecs) { Token = options.Token };
        await Handshake.ConnectAsync(_reader, _sender, hello, options.ConnectTimeout, handshake);
        _info = await Handshake.ReadStreamInfoAsync(_reader, handshake);
        return true;
    }

    protected override Task ReceiveAsync(ListenerTally tally, CancellationToken stop) => ReceiveAsync(_reader!, _sender!, _info!, tally, stop);

    public override async ValueTask DisposeAsync()
    {
        _sender?.Dispose();
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }
        else
        {
            // Connected, but the stream over it never came (a TLS handshake that failed before it).
            _socket?.Dispose();
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
}

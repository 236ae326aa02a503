using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Protocol.ClockSync;
using Streamer.Protocol;
using Streamer.Transport;
using Streamer.Transport.Sockets;
using Streamer.Transport.Tls;

namespace Streamer.Probe;

/// <summary>
/// Asks a connected peer whether it speaks the Streamer protocol: a hello with role "probe", then pings one at
/// a time, each answered by a pong. Anything else (silence, other bytes, a close) means "not a Streamer endpoint".
/// </summary>
internal static class ProtocolProbe
{
    /// <summary>Frames a probe accepts: a hello, a pong or an error is tiny; anything bigger is not for us.</summary>
    private const long MaxFrameLength = 64 * 1024;

    /// <summary>The bounds of a probe's connection: it accepts only small frames.</summary>
    public static SocketConnectionOptions ConnectionOptions => new() { MaxFrameLength = MaxFrameLength };

    /// <summary>Probes over <paramref name="connection"/> (any transport), and disposes it.</summary>
    public static async Task<(StreamerPeerInfo? Info, string? NotStreamer)> RunAsync(IConnection connection, string host, ProbeOptions options, CancellationToken cancellationToken)
    {
        if (options.Tls is { } tls)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Timeout);
            try
            {
                // The handshake disposes the raw connection when it fails; it is bounded by --timeout like the hello.
                connection = await TlsConnector.AuthenticateAsync(connection, host, tls, deadline.Token);
            }
            catch (TlsHandshakeException ex)
            {
                return (null, ex.Message);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"TLS: no handshake within {options.Timeout.TotalSeconds:0.###} s (is it a TLS server?)"));
            }
        }

        await using (connection)
        {
            var reader = new FrameReader(connection.Input, MaxFrameLength);
            using var sender = new FrameSender(connection.Output);
            HelloMessage hello;
            try
            {
                hello = await Handshake.ConnectAsync(reader, sender, new HelloMessage(ProtocolVersion.Current, "probe", Handshake.Agent, []) { Token = options.Token }, options.Timeout, cancellationToken);
            }
            catch (RemoteErrorException ex)
            {
                return (new StreamerPeerInfo(null, string.Empty, string.Empty, null, "refused our hello: " + ex.Message), null);
            }
            catch (ProtocolException ex)
            {
                // A well-formed hello with another version still identifies a Streamer peer: report its version.
                return TryReadMismatchedHello(reader, ex.Message) is { } other ? (other, null) : (null, ex.Message);
            }
            catch (IOException ex)
            {
                return (null, "connection lost during the hello: " + ex.Message);
            }

            var (rtt, error) = await PingAsync(reader, sender, options, cancellationToken);
            if (rtt is null && error is null)
            {
                error = "no pongs";
            }

            return (new StreamerPeerInfo(hello.Version, hello.Role, hello.Agent, rtt, error), null);
        }
    }

    private static StreamerPeerInfo? TryReadMismatchedHello(FrameReader reader, string message)
    {
        if (reader.Current.Header.Kind != FrameKind.Hello)
        {
            return null;
        }

        try
        {
            // The hello frame is still the reader's current frame: no read has happened since.
            var hello = HelloMessage.Read(reader.Current.Payload);
            return new StreamerPeerInfo(hello.Version, hello.Role, hello.Agent, null, message);
        }
        catch (ProtocolException)
        {
            return null;
        }
    }

    private static async Task<(RttStatistics? Rtt, string? Error)> PingAsync(FrameReader reader, FrameSender sender, ProbeOptions options, CancellationToken cancellationToken)
    {
        var roundTrips = new List<double>(options.PingCount);
        int sent = 0;
        string? error = null;
        try
        {
            for (int i = 0; i < options.PingCount && error is null; i++)
            {
                sent++;
                if (!await sender.SendEmptyAsync(FrameKind.Ping, cancellationToken))
                {
                    error = "the connection closed";
                    break;
                }

                using var pongTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                pongTimeout.CancelAfter(options.Timeout);
                try
                {
                    (double? rtt, error) = await ReadPongAsync(reader, pongTimeout.Token);
                    if (rtt is { } value)
                    {
                        roundTrips.Add(value);
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    error = string.Create(CultureInfo.InvariantCulture, $"no pong within {options.Timeout.TotalSeconds:0.###} s");
                }
            }
        }
        catch (IOException ex)
        {
            error = "connection lost: " + ex.Message;
        }
        catch (ProtocolException ex)
        {
            error = ex.Message;
        }

        return (RttStatistics.From(sent, roundTrips), error);
    }

    private static async Task<(double? RttMs, string? Error)> ReadPongAsync(FrameReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var outcome = await reader.ReadAsync(cancellationToken);
            if (outcome != FrameReadOutcome.Frame)
            {
                return (null, outcome == FrameReadOutcome.End ? "the connection closed" : "the peer sent a broken frame");
            }

            var header = reader.Current.Header;
            if (header.Kind == FrameKind.Pong)
            {
                if (!ClockSample.TryRead(reader.Current, out var sample))
                {
                    return (null, "the peer sent a broken pong");
                }

                // NTP round trip: our elapsed time minus the time the peer held the ping.
                return (Math.Max(0, sample.RoundTripMicroseconds) / 1000.0, null);
            }

            if (header.Kind == FrameKind.Error)
            {
                var error = ErrorMessage.Read(reader.Current.Payload);
                return (null, "the peer said: " + error.Message);
            }
        }
    }
}

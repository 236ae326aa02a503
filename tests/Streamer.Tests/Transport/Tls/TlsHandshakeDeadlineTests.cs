using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Chat;
using Streamer.Protocol;
using Streamer.Tests.Protocol.Hosting;
using Streamer.Transport.Sockets;
using Streamer.Transport.Tls;

namespace Streamer.Tests.Transport.Tls;

/// <summary>
/// The TLS handshake's own deadline, through a real server (the chat server; the audio server runs the same host and
/// the same <see cref="Handshake"/>) on real loopback sockets. It closes a peer that never finishes its handshake
/// while the hello deadline is far away, and the hello deadline starts only after the handshake, so a slow handshake
/// is not cut by it. Only generous deadlines guard the waits; nothing is timed.
/// </summary>
public sealed class TlsHandshakeDeadlineTests
{
    private static readonly X509Certificate2 Certificate = TestCertificates.SelfSigned();
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    /// <summary>A TLS record header promising a 512-byte handshake message, a ClientHello's type and length, and then nothing more.</summary>
    private static readonly byte[] PartialClientHello = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03, 0x5A, 0x5A];

    [Fact]
    public async Task A_peer_that_sends_nothing_or_a_partial_client_hello_is_closed_by_the_handshake_deadline()
    {
        // The hello deadline (10 min) cannot be what closes them: only the handshake's (200 ms) can.
        await using var room = Start(handshake: TimeSpan.FromMilliseconds(200), hello: TimeSpan.FromMinutes(10));
        using var attack = new HostileSockets();
        var silent = await attack.OpenAsync(room.Port, IPAddress.Loopback);
        var partial = await attack.OpenAsync(room.Port, IPAddress.Loopback, PartialClientHello);

        Assert.True(await HostileSockets.ClosedByServerAsync(silent, Generous), "a silent socket was still open");
        Assert.True(await HostileSockets.ClosedByServerAsync(partial, Generous), "a partial ClientHello was still open");
        Assert.Equal(0, room.Server.Participants);
    }

    [Fact]
    public async Task A_handshake_that_starts_after_the_hello_budget_is_not_cut_by_it()
    {
        // The hello has 300 ms, the handshake 10 min. The client waits far longer than 300 ms before its ClientHello:
        // with the hello deadline counting the handshake, the server would have closed it by then.
        await using var room = Start(handshake: TimeSpan.FromMinutes(10), hello: TimeSpan.FromMilliseconds(300));
        using var timeout = new CancellationTokenSource(Generous);
        var plain = new SocketConnector(new SocketConnectionOptions(), Generous, NullLogger.Instance);
        var raw = await plain.ConnectAsync(new IPEndPoint(IPAddress.Loopback, room.Port), timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(1.5), timeout.Token);

        await using var connection = await TlsConnector.AuthenticateAsync(raw, "localhost", new TlsClientOptions { PinnedFingerprint = TlsFingerprint.Compute(Certificate) }, timeout.Token);
        var reader = new FrameReader(connection.Input);
        using var sender = new FrameSender(connection.Output);
        var hello = await Handshake.ConnectAsync(reader, sender, new HelloMessage(ProtocolVersion.Current, "probe", "test", []), Generous, timeout.Token);

        Assert.Equal("chat-server", hello.Role);
        Assert.True(Assert.IsAssignableFrom<ITlsConnection>(connection).IsEncrypted);
    }

    [Fact]
    public async Task A_plain_client_on_a_tls_port_is_settled_at_its_first_bytes_and_refused()
    {
        // Negotiated completes for a plain peer too (its first bytes are not TLS), so it still gets tls-required
        // within the hello deadline rather than waiting out the handshake's.
        await using var room = Start(handshake: TimeSpan.FromMinutes(10), hello: TimeSpan.FromMinutes(10));
        using var peer = await Streamer.Tests.Support.RawPeer.ConnectAsync(room.Port);
        await peer.SendAsync(Streamer.Tests.Support.RawPeer.Hello(role: "probe"));

        byte[] answer = await peer.ReadToEndAsync(Generous);
        Assert.Contains("tls-required", System.Text.Encoding.UTF8.GetString(answer), StringComparison.Ordinal);
    }

    private static TlsRoom Start(TimeSpan handshake, TimeSpan hello)
    {
        var options = new ChatServerOptions { HandshakeTimeout = hello };
        var sockets = new SocketListener("127.0.0.1", 0, 16, options.Limits.Connection, NullLogger.Instance);
        var tls = new TlsListener(sockets, new TlsServerOptions { Certificate = Certificate, HandshakeTimeout = handshake }, NullLogger.Instance);
        return new TlsRoom(new ChatServer(tls, options, NullLoggerFactory.Instance));
    }

    private sealed class TlsRoom : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _running;

        public TlsRoom(ChatServer server)
        {
            Server = server;
            _running = server.RunAsync(_stop.Token);
        }

        public ChatServer Server { get; }

        public int Port => Server.LocalEndPoint.Port;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running.WaitAsync(Generous);
            await Server.DisposeAsync();
            _stop.Dispose();
        }
    }
}

using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Protocol;
using Streamer.Transport;
using Streamer.Transport.Sockets;
using Streamer.Transport.Tls;

namespace Streamer.Tests.Transport.Tls;

/// <summary>The TLS wrapper over real loopback sockets: bytes intact both ways, TLS 1.3, certificate checks, and the plain/TLS mix-ups diagnosed.</summary>
public sealed class TlsConnectionTests
{
    private static readonly X509Certificate2 Server = TestCertificates.SelfSigned();

    [Fact]
    public async Task Frames_cross_intact_both_ways_over_tls_13()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var listener = Listen(new TlsServerOptions { Certificate = Server });
        var accepting = listener.AcceptAsync(timeout.Token).AsTask();
        var clientOptions = new TlsClientOptions { PinnedFingerprint = TlsFingerprint.Compute(Server) };
        await using var client = await Connector(clientOptions).ConnectAsync(listener.EndPoint, timeout.Token);
        await using var server = (await accepting)!;

        const int Frames = 2000;
        var random = new Random(7);
        var payloads = Enumerable.Range(0, 8).Select(_ => { var p = new byte[random.Next(1, 40_000)]; random.NextBytes(p); return p; }).ToArray();
        var sending = Task.Run(async () =>
        {
            using var sender = new FrameSender(server.Output);
            for (uint i = 0; i < Frames; i++)
            {
                Assert.True(await sender.SendAudioAsync(i, i, new ReadOnlySequence<byte>(payloads[i % payloads.Length]), flush: i % 5 == 0, timeout.Token));
            }

            await sender.CompleteAsync();
        });

        var reader = new FrameReader(client.Input);
        for (uint i = 0; i < Frames; i++)
        {
            Assert.Equal(FrameReadOutcome.Frame, await reader.ReadAsync(timeout.Token));
            Assert.Equal(i, reader.Current.Header.Sequence);
            Assert.Equal(payloads[i % payloads.Length], reader.Current.Payload.ToArray());
        }

        // close_notify then FIN: a clean end, not a reset.
        Assert.Equal(FrameReadOutcome.End, await reader.ReadAsync(timeout.Token));
        await sending;

        // And the other way.
        await client.Output.WriteAsync("hello server"u8.ToArray(), timeout.Token);
        var read = await server.Input.ReadAtLeastAsync(12, timeout.Token);
        Assert.Equal("hello server"u8.ToArray(), read.Buffer.Slice(0, 12).ToArray());
        server.Input.AdvanceTo(read.Buffer.GetPosition(12));

        var secured = Assert.IsAssignableFrom<ITlsConnection>(server);
        Assert.True(secured.IsEncrypted);
        Assert.Equal(SslProtocols.Tls13, secured.Protocol);
        Assert.Equal(SslProtocols.Tls13, Assert.IsAssignableFrom<ITlsConnection>(client).Protocol);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_first_bytes_after_the_handshake_are_not_held_back(bool blockingClient)
    {
        // TLS 1.3 servers send session tickets after the handshake; a client write must not wait for them to be read.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var listener = Listen(new TlsServerOptions { Certificate = Server });
        for (int round = 0; round < 3; round++)
        {
            var accepting = listener.AcceptAsync(timeout.Token).AsTask();
            await using var client = await Connector(new TlsClientOptions { Insecure = true }, blockingClient).ConnectAsync(listener.EndPoint, timeout.Token);
            await using var server = (await accepting)!;
            var clock = Stopwatch.StartNew();
            await client.Output.WriteAsync(new byte[] { 1, 2, 3 }, timeout.Token);
            var read = await server.Input.ReadAtLeastAsync(3, timeout.Token);
            server.Input.AdvanceTo(read.Buffer.End);
            Console.WriteLine($"round {round}: first bytes after {clock.Elapsed.TotalMilliseconds:0.0} ms");
        }
    }

    [Fact]
    public async Task A_pinned_fingerprint_accepts_its_server_and_refuses_another_in_one_line()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var listener = Listen(new TlsServerOptions { Certificate = Server });
        var other = TestCertificates.SelfSigned("elsewhere");
        var accepting = listener.AcceptAsync(timeout.Token).AsTask();
        var failure = await Assert.ThrowsAsync<TlsHandshakeException>(async () =>
            await Connector(new TlsClientOptions { PinnedFingerprint = TlsFingerprint.Compute(other) }).ConnectAsync(listener.EndPoint, timeout.Token));
        Assert.Contains(TlsFingerprint.Of(Server), failure.Message, StringComparison.Ordinal);
        Assert.Contains("not the pinned " + TlsFingerprint.Of(other), failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
        await (await accepting)!.DisposeAsync();
    }

    [Fact]
    public async Task An_untrusted_self_signed_server_is_refused_by_system_trust()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var listener = Listen(new TlsServerOptions { Certificate = Server });
        var accepting = listener.AcceptAsync(timeout.Token).AsTask();
        var failure = await Assert.ThrowsAsync<TlsHandshakeException>(async () =>
            await Connector(new TlsClientOptions()).ConnectAsync(new DnsEndPoint("localhost", ((IPEndPoint)listener.EndPoint).Port), timeout.Token));
        Assert.Contains("not trusted", failure.Message, StringComparison.Ordinal);
        await (await accepting)!.DisposeAsync();
    }

    [Fact]
    public async Task A_private_ca_is_trusted_and_client_certificates_are_checked()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (serverCa, serverLeaf) = TestCertificates.Issued("localhost");
        var (clientCa, clientLeaf) = TestCertificates.Issued("listener", client: true);
        await using var listener = Listen(new TlsServerOptions { Certificate = serverLeaf, ClientCertificateAuthorities = [clientCa] });
        var endPoint = new DnsEndPoint("localhost", ((IPEndPoint)listener.EndPoint).Port);

        var accepting = listener.AcceptAsync(timeout.Token).AsTask();
        await using (var client = await Connector(new TlsClientOptions { TrustedAuthorities = [serverCa], ClientCertificate = clientLeaf }).ConnectAsync(endPoint, timeout.Token))
        {
            await using var server = (await accepting)!;
            await client.Output.WriteAsync("x"u8.ToArray(), timeout.Token);
            var read = await server.Input.ReadAsync(timeout.Token);
            Assert.Equal((byte)'x', read.Buffer.FirstSpan[0]);
            server.Input.AdvanceTo(read.Buffer.End);
            Assert.Equal(clientLeaf.Thumbprint, ((ITlsConnection)server).RemoteCertificate!.Thumbprint);
        }

        // Without a client certificate the server ends the connection: no byte of ours reaches its application.
        accepting = listener.AcceptAsync(timeout.Token).AsTask();
        IConnection? refused = null;
        try
        {
            refused = await Connector(new TlsClientOptions { TrustedAuthorities = [serverCa] }).ConnectAsync(endPoint, timeout.Token);
            await refused.Output.WriteAsync("x"u8.ToArray(), timeout.Token);
        }
        catch (IOException)
        {
        }

        await using (var server = (await accepting)!)
        {
            await Assert.ThrowsAsync<TlsHandshakeException>(async () => await server.Input.ReadAsync(timeout.Token));
        }

        if (refused is not null)
        {
            await refused.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_plain_peer_on_a_tls_port_passes_in_clear_marked_unencrypted()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var listener = Listen(new TlsServerOptions { Certificate = Server });
        var accepting = listener.AcceptAsync(timeout.Token).AsTask();
        using var plain = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await plain.ConnectAsync(listener.EndPoint, timeout.Token);
        await plain.SendAsync(new byte[] { 0, 0, 0, 0, 0, 0, 0, 9 }, timeout.Token);
        await using var server = (await accepting)!;
        var read = await server.Input.ReadAtLeastAsync(8, timeout.Token);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 9 }, read.Buffer.Slice(0, 8).ToArray());
        server.Input.AdvanceTo(read.Buffer.End);
        Assert.False(((ITlsConnection)server).IsEncrypted);

        await server.Output.WriteAsync("told"u8.ToArray(), timeout.Token);
        var answer = new byte[4];
        Assert.Equal(4, await plain.ReceiveAsync(answer, timeout.Token));
        Assert.Equal("told"u8.ToArray(), answer);
    }

    [Fact]
    public async Task A_tls_client_of_a_plain_server_is_told_so_in_one_line()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var listener = new SocketListener("127.0.0.1", 0, 16, new SocketConnectionOptions(), NullLogger.Instance);
        var accepting = listener.AcceptAsync(timeout.Token).AsTask();
        var connecting = Connector(new TlsClientOptions { Insecure = true }).ConnectAsync(listener.EndPoint, timeout.Token).AsTask();
        await using var server = (await accepting)!;

        // A plain server that sees a ClientHello answers in frames (here: an error frame) and closes.
        var read = await server.Input.ReadAtLeastAsync(3, timeout.Token);
        Assert.Equal(ForeignProtocol.Tls, ForeignProtocols.Identify(read.Buffer));
        server.Input.AdvanceTo(read.Buffer.End);
        using (var sender = new FrameSender(server.Output))
        {
            await sender.SendAsync(new ErrorMessage("bad-hello", "not a frame"), timeout.Token);
        }

        await server.Output.CompleteAsync();
        var failure = await Assert.ThrowsAsync<TlsHandshakeException>(() => connecting);
        Assert.Contains("plain Streamer frames, not TLS", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_peer_on_a_tls_port_is_ended_by_its_deadline()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var listener = Listen(new TlsServerOptions { Certificate = Server, HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        var accepting = listener.AcceptAsync(timeout.Token).AsTask();
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(listener.EndPoint, timeout.Token);

        // The listener hands the connection out at once (the accept loop never waits for a handshake) ...
        await using var server = (await accepting)!;
        // ... and the input ends when the deadline passes: nothing to read, no slot held.
        var read = await server.Input.ReadAsync(timeout.Token);
        Assert.True(read.IsCompleted);
        Assert.True(read.Buffer.IsEmpty);
    }

    [Theory]
    [InlineData("9D:9E:AC:B1:C5:BA:21:7D:87:E2:4C:4B:5E:71:DC:C4:ED:11:C6:AD:EE:A3:91:95:CB:0C:9A:37:85:FF:BD:79", true)]
    [InlineData("sha256:9d9eacb1c5ba217d87e24c4b5e71dcc4ed11c6adeea39195cb0c9a3785ffbd79", true)]
    [InlineData("9D:9E:AC", false)]
    [InlineData("zz9eacb1c5ba217d87e24c4b5e71dcc4ed11c6adeea39195cb0c9a3785ffbd79", false)]
    public void Fingerprints_parse_as_openssl_prints_them(string text, bool valid)
    {
        Assert.Equal(valid, TlsFingerprint.TryParse(text, out byte[] parsed, out string error));
        if (valid)
        {
            Assert.Equal("9D:9E:AC:B1:C5:BA:21:7D:87:E2:4C:4B:5E:71:DC:C4:ED:11:C6:AD:EE:A3:91:95:CB:0C:9A:37:85:FF:BD:79", TlsFingerprint.Format(parsed));
        }
        else
        {
            Assert.Contains("64 hex digits", error, StringComparison.Ordinal);
        }
    }

    private static TlsListener Listen(TlsServerOptions options)
        => new(new SocketListener("127.0.0.1", 0, 16, new SocketConnectionOptions(), NullLogger.Instance), options, NullLogger.Instance);

    private static TlsConnector Connector(TlsClientOptions options, bool blocking = false)
        => new(new SocketConnector(new SocketConnectionOptions { BlockingIo = blocking }, TimeSpan.FromSeconds(10), NullLogger.Instance), options);
}

using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Protocol;
using Streamer.Transport;
using Streamer.Transport.Sockets;
using Streamer.Transport.Tls;

namespace Streamer.Benchmarks.Streaming;

/// <summary>
/// One 20 ms stereo s16 audio frame (3840 bytes) over TLS 1.3 on loopback, as the realtime path sends it: framed,
/// flushed (one TLS record, one socket send), received, decrypted and parsed on the other side; against the same over
/// plain TCP. The allocation column counts the whole process (both pumps of both ends), so it is 0 B only when
/// neither the send path nor the receive path allocates per packet.
/// </summary>
[MemoryDiagnoser]
public class TlsPathBenchmarks
{
    private readonly byte[] _audio = new byte[3840];
    private X509Certificate2 _certificate = null!;
    private (IConnectionListener Listener, IConnection Client, IConnection Server, FrameSender Sender, FrameReader Reader) _tls;
    private (IConnectionListener Listener, IConnection Client, IConnection Server, FrameSender Sender, FrameReader Reader) _plain;
    private uint _sequence;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_audio);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _certificate = X509Certificate2.CreateFromPem(made.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
        _plain = Open(tls: false).GetAwaiter().GetResult();
        _tls = Open(tls: true).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        foreach (var pair in new[] { _plain, _tls })
        {
            pair.Sender.Dispose();
            await pair.Client.DisposeAsync();
            await pair.Server.DisposeAsync();
            await pair.Listener.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true, Description = "plain TCP: send one frame (flush) + receive and parse it")]
    public ValueTask<uint> PlainFrame() => RoundAsync(_plain.Sender, _plain.Reader);

    [Benchmark(Description = "TLS 1.3: send one frame (flush, one record) + receive, decrypt and parse it")]
    public ValueTask<uint> TlsFrame() => RoundAsync(_tls.Sender, _tls.Reader);

    private async ValueTask<uint> RoundAsync(FrameSender sender, FrameReader reader)
    {
        await sender.SendAudioAsync(_sequence++, 960, new ReadOnlySequence<byte>(_audio));
        await reader.ReadAsync();
        return reader.Current.Header.Sequence;
    }

    private async Task<(IConnectionListener, IConnection, IConnection, FrameSender, FrameReader)> Open(bool tls)
    {
        IConnectionListener listener = new SocketListener("127.0.0.1", 0, 4, new SocketConnectionOptions(), NullLogger.Instance);
        IConnectionFactory connector = new SocketConnector(new SocketConnectionOptions(), TimeSpan.FromSeconds(10), NullLogger.Instance);
        if (tls)
        {
            listener = new TlsListener(listener, new TlsServerOptions { Certificate = _certificate }, NullLogger.Instance);
            connector = new TlsConnector(connector, new TlsClientOptions { PinnedFingerprint = TlsFingerprint.Compute(_certificate) });
        }

        var accepting = listener.AcceptAsync().AsTask();
        var client = await connector.ConnectAsync(listener.EndPoint);
        var server = (await accepting)!;
        if (server is ITlsConnection secured)
        {
            await secured.Negotiated;
        }

        return (listener, client, server, new FrameSender(server.Output), new FrameReader(client.Input));
    }
}

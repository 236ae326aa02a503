using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Streamer.Transport.Tls;

/// <summary>How a <see cref="TlsListener"/> authenticates itself and its clients.</summary>
public sealed class TlsServerOptions
{
    /// <summary>The server's certificate, with its private key.</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>
    /// The protocols offered: TLS 1.3 only by default. Adding <see cref="SslProtocols.Tls12"/> admits older clients;
    /// TLS 1.2 is still safe with the AEAD suites the system offers, but it shows the certificate in clear text.
    /// </summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls13;

    /// <summary>
    /// When set, every client must present a certificate issued by one of these authorities (mutual TLS); a client
    /// without one, or with another, fails its handshake. Null (default): no client certificate is asked for.
    /// </summary>
    public X509Certificate2Collection? ClientCertificateAuthorities { get; init; }

    /// <summary>
    /// The TLS handshake's own deadline, from the accept to the end of the handshake (the ClientHello's first bytes
    /// included): a peer that sends nothing, or a partial ClientHello, or stalls mid-handshake, is closed when it passes.
    /// A server behind a <c>ConnectionHost</c> starts its hello deadline (3 s) only after it, so a slow but real
    /// handshake (a long round trip, a client certificate, a busy server) is not cut by the hello's budget. Default 10 s.
    /// The risk of a longer one: a silent socket holds a pending place (never a session slot) that much longer; the
    /// pending pool's limits and evictions still bound how many.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How much decrypted input may wait for the application: at least one maximal frame. Default 1 MiB + 64 KiB.</summary>
    public long MaxInputBufferBytes { get; init; } = (1024 * 1024) + (64 * 1024);

    /// <summary>
    /// How much clear text the application may queue before its flush waits, on top of the inner connection's own
    /// bound. Default 64 KiB; a server sets it to the inner connection's bound (small for a broadcast listener, so a
    /// slow one is found out; large for a bulk transfer, so the encryption keeps up).
    /// </summary>
    public int MaxOutputBufferBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Smallest block the clear-text queue takes from the pool at a time. Default 64 KiB: a bulk sender's 16 KiB records
    /// then lie inside one block and are encrypted from it, where 4 KiB blocks would make each record a copy first. A
    /// server sets it to the inner connection's own (small for a broadcast listener, to bound memory per listener).
    /// </summary>
    public int OutputSegmentBytes { get; init; } = 64 * 1024;
}

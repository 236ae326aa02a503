using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Streamer.Transport.Tls;

/// <summary>
/// How a client checks the server it reached. Exactly one way applies, first match first: <see cref="Insecure"/>
/// (no check), <see cref="PinnedFingerprint"/> (the certificate itself, for a self-signed server),
/// <see cref="TrustedAuthorities"/> (a private CA), else the system's trust store and the host name.
/// </summary>
public sealed class TlsClientOptions
{
    /// <summary>SHA-256 of the certificate the server must present (see <see cref="TlsFingerprint"/>); name and issuer are then not checked.</summary>
    public byte[]? PinnedFingerprint { get; init; }

    /// <summary>Authorities to trust instead of the system's; the server's name must still match its certificate.</summary>
    public X509Certificate2Collection? TrustedAuthorities { get; init; }

    /// <summary>Accept any certificate: encrypts against eavesdroppers but not against anyone in the middle. Off by default.</summary>
    public bool Insecure { get; init; }

    /// <summary>Our own certificate, for a server that asks for client certificates; null for none.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The protocols offered: TLS 1.3 only by default (add <see cref="SslProtocols.Tls12"/> for an older server).</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls13;

    /// <summary>The longest the handshake may take. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How much decrypted input may wait for the application: at least one maximal frame. Default 1 MiB + 64 KiB.</summary>
    public long MaxInputBufferBytes { get; init; } = (1024 * 1024) + (64 * 1024);

    /// <summary>
    /// How much clear text the application may queue before its flush waits, on top of the inner connection's own
    /// bound. Default 64 KiB; a server sets it to the inner connection's bound (small for a broadcast listener, so a
    /// slow one is found out; large for a bulk transfer, so the encryption keeps up).
    /// </summary>
    public int MaxOutputBufferBytes { get; init; } = 64 * 1024;
}

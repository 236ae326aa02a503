using System.Net.Security;
using System.Security.Authentication;

namespace Streamer.Transport.Tls;

/// <summary>
/// The suites offered, fastest first: AES-128-GCM (hardware AES, and still a 128-bit security level) before AES-256-GCM
/// and ChaCha20-Poly1305; for TLS 1.2 only ECDHE with AEAD. OpenSSL's own order puts AES-256 first, which costs more
/// per byte for no practical gain here (<c>openssl speed</c>). Only where the platform lets a policy be set (Linux).
/// </summary>
internal static class CipherSuites
{
    public static CipherSuitesPolicy? For(SslProtocols protocols)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var suites = new List<TlsCipherSuite>
        {
            TlsCipherSuite.TLS_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        };
        if ((protocols & SslProtocols.Tls12) != 0)
        {
            suites.AddRange(
            [
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            ]);
        }

        return new CipherSuitesPolicy(suites);
    }
}

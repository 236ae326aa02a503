using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Streamer.Transport.Tls;

/// <summary>The server's side of the handshake: its certificate, its protocols, and (optionally) a client CA every client certificate must chain to.</summary>
internal static class ClientCertificateCheck
{
    public static SslServerAuthenticationOptions CreateOptions(TlsServerOptions options)
    {
        var authorities = options.ClientCertificateAuthorities;
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(options.Certificate, additionalCertificates: null, offline: true),
            EnabledSslProtocols = options.Protocols,
            CipherSuitesPolicy = CipherSuites.For(options.Protocols),
            ClientCertificateRequired = authorities is not null,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = authorities is null ? null : (_, certificate, _, _) => IsIssuedBy(certificate, authorities),
        };
    }

    private static bool IsIssuedBy(X509Certificate? certificate, X509Certificate2Collection authorities)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}

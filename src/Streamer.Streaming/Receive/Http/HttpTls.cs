using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Streamer.Transport.Tls;

namespace Streamer.Streaming.Receive.Http;

/// <summary>
/// <c>play https://…</c> with <c>--tls-fingerprint</c>, <c>--tls-ca</c>, <c>--tls-insecure</c> or a client certificate:
/// the same judgement of the server's certificate as the native protocol's TLS, on the HTTP handler. Remembers why it
/// refused, so the failure is told in words rather than "TLS handshake failed".
/// </summary>
internal sealed class HttpTls(TlsClientOptions options)
{
    /// <summary>Why the certificate was refused, or null.</summary>
    public string? Problem { get; private set; }

    public void Configure(SocketsHttpHandler handler)
    {
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = options.Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ClientCertificates = options.ClientCertificate is { } own ? new X509CertificateCollection { own } : null,
            RemoteCertificateValidationCallback = Validate,
        };
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (options.Insecure)
        {
            return true;
        }

        if (certificate is null)
        {
            Problem = "the server presented no certificate";
            return false;
        }

        if (options.PinnedFingerprint is { } pinned)
        {
            byte[] actual = TlsFingerprint.Compute(certificate);
            if (CryptographicOperations.FixedTimeEquals(actual, pinned))
            {
                return true;
            }

            Problem = $"the server's certificate has the SHA-256 fingerprint {TlsFingerprint.Format(actual)}, not the pinned {TlsFingerprint.Format(pinned)}";
            return false;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            Problem = "the server's certificate is not issued for this host name";
            return false;
        }

        if (options.TrustedAuthorities is { } authorities)
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = new X509Certificate2(certificate);
            if (custom.Build(leaf))
            {
                return true;
            }

            Problem = "the server's certificate is not issued by the given CA";
            return false;
        }

        if (errors != SslPolicyErrors.None)
        {
            Problem = "the server's certificate is not trusted by this system (self-signed? pin its SHA-256 fingerprint, or give its CA)";
            return false;
        }

        return true;
    }
}

using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Streamer.Transport.Tls;

/// <summary>
/// The client's judgement of the server's certificate (<see cref="TlsClientOptions"/>: insecure, pinned, a private
/// CA, or the system's trust), remembering why it said no so the failure can be told in words. The one judgement for
/// every client: the native protocol's TLS connection and <c>play https://</c>'s HTTP handler.
/// </summary>
public sealed class ServerCertificateCheck
{
    private readonly TlsClientOptions _options;
    private readonly string _targetHost;

    /// <summary>A check of the certificate <paramref name="targetHost"/> presents, by <paramref name="options"/>.</summary>
    public ServerCertificateCheck(TlsClientOptions options, string targetHost)
    {
        _options = options;
        _targetHost = targetHost;
    }

    /// <summary>Why the certificate was refused, or null when it was not (or not looked at yet).</summary>
    public string? Problem { get; private set; }

    /// <summary>Client options for <see cref="SslStream"/> or an HTTP handler, validating through this check.</summary>
    public SslClientAuthenticationOptions CreateOptions() => new()
    {
        TargetHost = _targetHost,
        EnabledSslProtocols = _options.Protocols,
        CipherSuitesPolicy = CipherSuites.For(_options.Protocols),
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        ClientCertificates = _options.ClientCertificate is { } own ? new X509CertificateCollection { own } : null,
        RemoteCertificateValidationCallback = Validate,
    };

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_options.Insecure)
        {
            return true;
        }

        if (certificate is null)
        {
            Problem = "the server presented no certificate";
            return false;
        }

        if (_options.PinnedFingerprint is { } pinned)
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
            Problem = $"the server's certificate is not issued for '{_targetHost}'";
            return false;
        }

        if (_options.TrustedAuthorities is { } authorities)
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            }

            using var leaf = new X509Certificate2(certificate);
            if (custom.Build(leaf))
            {
                return true;
            }

            Problem = "the server's certificate is not issued by the given CA";
            return false;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        Problem = "the server's certificate is not trusted by this system (self-signed? pin its SHA-256 fingerprint, or give its CA)";
        return false;
    }
}

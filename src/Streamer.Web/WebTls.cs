using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Streamer.Web;

/// <summary>HTTPS on the web port with the audio port's certificate, TLS versions and (optionally) client CA.</summary>
internal static class WebTls
{
    public static void Use(ListenOptions listen, WebServerOptions options)
    {
        var authorities = options.ClientCertificateAuthorities;
        // HTTP/1.1 only, as on plain HTTP: the per-connection response buffer is what finds a slow listener out.
        listen.Protocols = HttpProtocols.Http1;
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = options.Certificate,
            SslProtocols = options.TlsProtocols,
            CheckCertificateRevocation = false,
            ClientCertificateMode = authorities is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = authorities is null ? null : (certificate, _, _) => IsIssuedBy(certificate, authorities),
            // A peer that opens a socket and never finishes its handshake is dropped as one that sends no headers.
            HandshakeTimeout = options.RequestHeadersTimeout,
        });
    }

    private static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}

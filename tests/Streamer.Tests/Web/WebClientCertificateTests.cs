using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Streamer.Tests.Support;

namespace Streamer.Tests.Web;

/// <summary>
/// <c>--tls-client-ca</c> on the web port of a real serve: curl without a client certificate gets no page, curl with
/// one issued by that CA reads /status.json over HTTPS. The certificates are made here (a CA, a server and a client
/// certificate, as PEM files).
/// </summary>
public sealed class WebClientCertificateTests
{
    [Fact]
    public async Task A_client_ca_on_the_audio_port_requires_a_client_certificate_on_the_web_port_too()
    {
        using var dir = new TempDirectory();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=streamer test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(dir.File("ca.pem"), ca.ExportCertificatePem() + "\n");
        Issue(ca, "CN=127.0.0.1", server: true, dir.File("server.pem"), dir.File("server-key.pem"));
        Issue(ca, "CN=listener", server: false, dir.File("client.pem"), dir.File("client-key.pem"));

        var (server, _, port) = await WebServerProcess.StartAsync("tone", "--tls-cert", dir.File("server.pem"), "--tls-key", dir.File("server-key.pem"), "--tls-client-ca", dir.File("ca.pem"));
        await using (server)
        {
            string url = $"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/status.json";
            var (_, without, _) = ExternalTool.Run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", dir.File("ca.pem"), url);
            Assert.Equal("000", without.Trim());
            var (code, with, stderr) = ExternalTool.Run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", dir.File("ca.pem"), "--cert", dir.File("client.pem"), "--key", dir.File("client-key.pem"), url);
            Assert.True(code == 0, stderr);
            Assert.Equal("200", with.Trim());
        }
    }

    private static void Issue(X509Certificate2 ca, string subject, bool server, string certificatePath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        byte[] serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), serial);
        File.WriteAllText(certificatePath, issued.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Streamer.Cli.Security;

/// <summary>
/// <c>--tls</c> without a certificate: a self-signed ECDSA P-256 certificate made once and kept in the user's config
/// directory (<c>$XDG_CONFIG_HOME/streamer/tls</c>, else <c>~/.config/streamer/tls</c>; the key readable by the user
/// only), reused on every later start so the fingerprint clients pinned stays valid. A new one is made when it expires.
/// </summary>
internal static class SelfSignedCertificate
{
    public const string CertificateFile = "server-cert.pem";
    public const string KeyFile = "server-key.pem";

    /// <summary>Five years: clients pin it, so it should outlive most pins; delete the files to make a new one.</summary>
    private static readonly TimeSpan Validity = TimeSpan.FromDays(5 * 365);

    public static string Directory()
    {
        string? config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(config))
        {
            config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        }

        return Path.Combine(config, "streamer", "tls");
    }

    /// <summary>The kept certificate, or a new one (then <c>Created</c> is true).</summary>
    public static (X509Certificate2 Certificate, string Path, bool Created) LoadOrCreate()
    {
        string directory = Directory();
        string certificatePath = Path.Combine(directory, CertificateFile);
        string keyPath = Path.Combine(directory, KeyFile);
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            var kept = CertificateFiles.LoadWithKey(certificatePath, keyPath);
            if (kept.NotAfter > DateTime.Now.AddDays(1))
            {
                return (kept, certificatePath, false);
            }

            kept.Dispose();
        }

        try
        {
            System.IO.Directory.CreateDirectory(directory);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var created = Create(key);
            // The key first, private from its first byte: written to a new file with mode 0600, then renamed.
            WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(certificatePath, created.ExportCertificatePem() + "\n");
            return (CertificateFiles.LoadWithKey(certificatePath, keyPath), certificatePath, true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Failure, $"--tls: cannot keep the self-signed certificate in '{directory}': {ex.Message}");
        }
    }

    private static X509Certificate2 Create(ECDsa key)
    {
        string host = Environment.MachineName;
        var request = new CertificateRequest($"CN=streamer self-signed ({host})", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        if (Uri.CheckHostName(host) == UriHostNameType.Dns && !string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            names.AddDnsName(host);
        }

        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.Add(Validity));
    }

    private static void WritePrivate(string path, string pem)
    {
        string temporary = path + ".new";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(pem);
            writer.Write('\n');
        }

        File.Move(temporary, path, overwrite: true);
    }
}

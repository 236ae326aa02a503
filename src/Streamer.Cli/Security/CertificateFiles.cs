using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Streamer.Cli.Security;

/// <summary>PEM files named on the command line: a certificate with its key, or a bundle of CA certificates. A bad file is bad input (exit 2) in one line.</summary>
internal static class CertificateFiles
{
    public static X509Certificate2 LoadWithKey(string certificatePath, string keyPath)
    {
        Exists(certificatePath, "--tls-cert");
        Exists(keyPath, "--tls-key");
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (!certificate.HasPrivateKey)
            {
                throw new CliException(ExitCodes.BadInput, $"--tls-key '{keyPath}': no private key for the certificate in '{certificatePath}'");
            }

            return certificate;
        }
        catch (CryptographicException ex)
        {
            throw new CliException(ExitCodes.BadInput, $"--tls-cert '{certificatePath}' / --tls-key '{keyPath}': not a PEM certificate and its matching private key ({ex.Message.TrimEnd('.')})");
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ExitCodes.BadInput, $"--tls-cert '{certificatePath}' / --tls-key '{keyPath}': {ex.Message.TrimEnd('.')}");
        }
    }

    public static X509Certificate2Collection LoadAuthorities(string path, string option)
    {
        Exists(path, option);
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (CryptographicException ex)
        {
            throw new CliException(ExitCodes.BadInput, $"{option} '{path}': not PEM certificates ({ex.Message.TrimEnd('.')})");
        }

        return authorities.Count > 0 ? authorities : throw new CliException(ExitCodes.BadInput, $"{option} '{path}': no PEM certificate in the file");
    }

    private static void Exists(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw new CliException(ExitCodes.BadInput, $"{option} '{path}': no such file");
        }
    }
}

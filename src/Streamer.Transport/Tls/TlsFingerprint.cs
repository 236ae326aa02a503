using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Streamer.Transport.Tls;

/// <summary>
/// SHA-256 certificate fingerprints as <c>openssl x509 -fingerprint -sha256</c> prints them (32 bytes, upper-case hex
/// pairs joined by colons), the form <c>--tls</c> prints and <c>--tls-fingerprint</c> takes.
/// </summary>
public static class TlsFingerprint
{
    /// <summary>The SHA-256 of the certificate's DER encoding, as 32 bytes.</summary>
    public static byte[] Compute(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return SHA256.HashData(certificate.GetRawCertData());
    }

    /// <summary>The fingerprint as "AB:CD:…" (95 characters).</summary>
    public static string Format(ReadOnlySpan<byte> fingerprint)
    {
        string hex = Convert.ToHexString(fingerprint);
        var text = new StringBuilder(hex.Length * 3 / 2);
        for (int i = 0; i < hex.Length; i += 2)
        {
            if (i > 0)
            {
                text.Append(':');
            }

            text.Append(hex, i, 2);
        }

        return text.ToString();
    }

    /// <summary>The certificate's fingerprint as "AB:CD:…".</summary>
    public static string Of(X509Certificate certificate) => Format(Compute(certificate));

    /// <summary>
    /// Reads a fingerprint written with or without colons or spaces, in either case, optionally prefixed "sha256:" or
    /// "SHA256=". False, with <paramref name="error"/> saying why, unless it is 32 bytes of hex.
    /// </summary>
    public static bool TryParse(string text, out byte[] fingerprint, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        string hex = text.Trim();
        foreach (string prefix in new[] { "sha256:", "sha256=", "sha256 fingerprint=" })
        {
            if (hex.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                hex = hex[prefix.Length..];
            }
        }

        hex = hex.Replace(":", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
        fingerprint = [];
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            error = "a SHA-256 fingerprint is 64 hex digits (colons allowed), e.g. as 'openssl x509 -fingerprint -sha256' prints it";
            return false;
        }

        fingerprint = Convert.FromHexString(hex);
        error = string.Empty;
        return true;
    }
}

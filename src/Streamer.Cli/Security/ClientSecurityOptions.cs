using System.CommandLine;
using Streamer.Protocol.Security;
using Streamer.Transport;
using Streamer.Transport.Tls;

namespace Streamer.Cli.Security;

/// <summary>
/// A client's TLS and token options (<c>play</c>, <c>chat connect</c>, <c>probe</c>, <c>bench listeners</c>): <c>--tls</c>
/// (system trust), <c>--tls-fingerprint</c> (pin), <c>--tls-ca</c>, <c>--tls-insecure</c> (warned), <c>--tls-cert</c>/<c>--tls-key</c>
/// (a client certificate), <c>--tls-min</c>; the token from <c>--token-file</c> or <c>STREAMER_TOKEN</c>, never from the
/// command line itself, where <c>ps</c> shows it (docs/security.md).
/// </summary>
internal sealed class ClientSecurityOptions
{
    public const string TokenVariable = "STREAMER_TOKEN";

    public Option<bool> Tls { get; } = new("--tls") { Description = "Connect over TLS, trusting the system's CAs (a self-signed server needs --tls-fingerprint)" };

    public Option<string?> Fingerprint { get; } = new("--tls-fingerprint") { Description = "Connect over TLS and accept only the certificate with this SHA-256 fingerprint (as the server prints it)", HelpName = "SHA256" };

    public Option<string?> Ca { get; } = new("--tls-ca") { Description = "Connect over TLS, trusting the CAs in this PEM file instead of the system's", HelpName = "FILE.pem" };

    public Option<bool> Insecure { get; } = new("--tls-insecure") { Description = "Connect over TLS without checking the certificate: encrypted, but anyone on the path can pose as the server" };

    public Option<string?> Certificate { get; } = new("--tls-cert") { Description = "A client certificate (PEM) for a server that asks for one; needs --tls-key", HelpName = "FILE.pem" };

    public Option<string?> Key { get; } = new("--tls-key") { Description = "The PEM private key of --tls-cert", HelpName = "FILE.pem" };

    public Option<System.Security.Authentication.SslProtocols> MinVersion { get; } = TlsVersionOption.Create();

    public Option<string?> TokenFile { get; } = new("--token-file") { Description = $"Send the first token in this file in the hello (else ${TokenVariable}, if set)", HelpName = "FILE" };

    public void AddTo(Command command)
    {
        command.Options.Add(Tls);
        command.Options.Add(Fingerprint);
        command.Options.Add(Ca);
        command.Options.Add(Insecure);
        command.Options.Add(Certificate);
        command.Options.Add(Key);
        command.Options.Add(MinVersion);
        command.Options.Add(TokenFile);
    }

    /// <summary>Checks the options (bad ones exit 2) and returns what the client needs; warns on stderr about --tls-insecure.</summary>
    public ClientSecurity Build(ParseResult parse) => new(BuildTls(parse), ReadToken(parse.GetValue(TokenFile)));

    private TlsClientOptions? BuildTls(ParseResult parse)
    {
        string? fingerprint = parse.GetValue(Fingerprint);
        string? ca = parse.GetValue(Ca);
        bool insecure = parse.GetValue(Insecure);
        string? certificatePath = parse.GetValue(Certificate);
        string? keyPath = parse.GetValue(Key);
        if (!parse.GetValue(Tls) && fingerprint is null && ca is null && !insecure)
        {
            return certificatePath is null && keyPath is null
                ? null
                : throw new CliException(ExitCodes.BadInput, "--tls-cert/--tls-key need TLS: add --tls, --tls-fingerprint or --tls-ca");
        }

        if ((fingerprint is not null ? 1 : 0) + (ca is not null ? 1 : 0) + (insecure ? 1 : 0) > 1)
        {
            throw new CliException(ExitCodes.BadInput, "choose one of --tls-fingerprint, --tls-ca and --tls-insecure");
        }

        if ((certificatePath is null) != (keyPath is null))
        {
            throw new CliException(ExitCodes.BadInput, certificatePath is null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
        }

        byte[]? pinned = null;
        if (fingerprint is not null && !TlsFingerprint.TryParse(fingerprint, out pinned, out string error))
        {
            throw new CliException(ExitCodes.BadInput, $"--tls-fingerprint: {error}");
        }

        if (insecure)
        {
            Console.Error.WriteLine("streamer: warning: --tls-insecure: the server's certificate is not checked; anyone on the path can pose as the server and read the stream and the token");
        }

        return new TlsClientOptions
        {
            PinnedFingerprint = pinned,
            TrustedAuthorities = ca is null ? null : CertificateFiles.LoadAuthorities(ca, "--tls-ca"),
            Insecure = insecure,
            ClientCertificate = certificatePath is null ? null : CertificateFiles.LoadWithKey(certificatePath, keyPath!),
            Protocols = parse.GetValue(MinVersion),
        };
    }

    /// <summary>The first token of the file, else the environment's; null for none. Never echoed back.</summary>
    private static string? ReadToken(string? path)
    {
        if (path is null)
        {
            string? variable = Environment.GetEnvironmentVariable(TokenVariable);
            return string.IsNullOrWhiteSpace(variable) ? null : variable.Trim();
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.BadInput, $"--token-file '{path}': {(ex is FileNotFoundException or DirectoryNotFoundException ? "no such file" : ex.Message)}");
        }

        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                // The same format as the server's file: the token, then optional roles (ignored here).
                string token = line.Split([' ', '\t'], 2)[0];
                return AccessTokens.Problem(token) is { } problem
                    ? throw new CliException(ExitCodes.BadInput, $"--token-file '{path}': {problem}")
                    : token;
            }
        }

        throw new CliException(ExitCodes.BadInput, $"--token-file '{path}': no token in the file");
    }
}

/// <summary>What a client command connects with: TLS options (null: plain TCP) and the token for its hello (null: none).</summary>
internal sealed record ClientSecurity(TlsClientOptions? Tls, string? Token)
{
    /// <summary><paramref name="inner"/> behind TLS when asked for, else <paramref name="inner"/> itself.</summary>
    public IConnectionFactory Wrap(IConnectionFactory inner) => Tls is null ? inner : new TlsConnector(inner, Tls);

    /// <summary>The record's text without the token.</summary>
    public override string ToString() => $"ClientSecurity {{ Tls = {(Tls is null ? "off" : "on")}, Token = {(Token is null ? "none" : "(hidden)")} }}";
}

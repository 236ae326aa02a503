using System.CommandLine;
using Microsoft.Extensions.Logging;
using Streamer.Protocol.Hosting;
using Streamer.Protocol.Security;
using Streamer.Transport;
using Streamer.Transport.Tls;

namespace Streamer.Cli.Security;

/// <summary>
/// A server's TLS and token options (<c>serve</c>, <c>chat serve</c>): <c>--tls</c>, <c>--tls-cert</c>/<c>--tls-key</c>,
/// <c>--tls-client-ca</c>, <c>--tls-min</c>, <c>--tls-handshake-timeout</c>, <c>--token-file</c> (docs/security.md). A command adds them with
/// <see cref="AddTo"/> and, before it listens, calls <see cref="Apply"/>: the tokens go into the host's limits and the
/// listener it returns speaks TLS when asked.
/// </summary>
internal sealed class ServerSecurityOptions
{
    public Option<bool> Tls { get; } = new("--tls") { Description = "Speak TLS only; without --tls-cert, with a self-signed certificate kept in ~/.config/streamer/tls (its SHA-256 fingerprint is printed for clients to pin)" };

    public Option<string?> Certificate { get; } = new("--tls-cert") { Description = "TLS with this PEM certificate (chain) file; needs --tls-key", HelpName = "FILE.pem" };

    public Option<string?> Key { get; } = new("--tls-key") { Description = "The PEM private key of --tls-cert", HelpName = "FILE.pem" };

    public Option<string?> ClientCa { get; } = new("--tls-client-ca") { Description = "Require client certificates issued by a CA in this PEM file (mutual TLS)", HelpName = "FILE.pem" };

    public Option<System.Security.Authentication.SslProtocols> MinVersion { get; } = TlsVersionOption.Create();

    public Option<TimeSpan> HandshakeTimeout { get; } = OptionParsers.DurationOption("--tls-handshake-timeout", "The TLS handshake's own deadline, from the accept (e.g. 10s, 500ms; a bare number is seconds); the hello deadline starts after it", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1));

    public Option<string?> TokenFile { get; } = new("--token-file") { Description = "Admit only clients whose hello carries a token from this file: one token per line, optionally followed by roles listen,chat,admin (docs/security.md)", HelpName = "FILE" };

    /// <summary>The TLS settings <see cref="Apply"/> built (null before it ran, or without TLS): the web port uses the same.</summary>
    public TlsServerOptions? AppliedTls { get; private set; }

    public void AddTo(Command command)
    {
        command.Options.Add(Tls);
        command.Options.Add(Certificate);
        command.Options.Add(Key);
        command.Options.Add(ClientCa);
        command.Options.Add(MinVersion);
        command.Options.Add(HandshakeTimeout);
        command.Options.Add(TokenFile);
    }

    /// <summary>
    /// Checks the options (bad ones exit 2), puts the tokens into <paramref name="limits"/>, prints what protects the
    /// port, and returns the listener to serve from: <paramref name="listen"/>'s own, behind TLS when asked for.
    /// </summary>
    public IConnectionListener Apply(ParseResult parse, ConnectionHostOptions limits, Func<IConnectionListener> listen, ILoggerFactory loggers)
    {
        if (parse.GetValue(TokenFile) is { } tokenFile)
        {
            limits.Tokens = LoadTokens(tokenFile);
            Console.Out.WriteLine($"Tokens: {limits.Tokens.Count} from {tokenFile}; clients without one are refused");
        }

        var tls = BuildTls(parse, limits);
        AppliedTls = tls;
        var listener = listen();
        return tls is null ? listener : new TlsListener(listener, tls, loggers.CreateLogger("Streamer.Tls"));
    }

    private TlsServerOptions? BuildTls(ParseResult parse, ConnectionHostOptions limits)
    {
        string? certificatePath = parse.GetValue(Certificate);
        string? keyPath = parse.GetValue(Key);
        string? clientCa = parse.GetValue(ClientCa);
        bool wanted = parse.GetValue(Tls) || certificatePath is not null || keyPath is not null;
        if (!wanted)
        {
            if (parse.GetResult(HandshakeTimeout) is { Implicit: false })
            {
                throw new CliException(ExitCodes.BadInput, "--tls-handshake-timeout needs TLS: add --tls or --tls-cert/--tls-key");
            }

            return clientCa is null
                ? null
                : throw new CliException(ExitCodes.BadInput, "--tls-client-ca needs TLS: add --tls or --tls-cert/--tls-key");
        }

        if ((certificatePath is null) != (keyPath is null))
        {
            throw new CliException(ExitCodes.BadInput, certificatePath is null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
        }

        System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
        if (certificatePath is not null)
        {
            certificate = CertificateFiles.LoadWithKey(certificatePath, keyPath!);
            Console.Out.WriteLine($"TLS: certificate {certificatePath} ({certificate.Subject}), SHA-256 fingerprint {TlsFingerprint.Of(certificate)}");
        }
        else
        {
            var (generated, path, created) = SelfSignedCertificate.LoadOrCreate();
            certificate = generated;
            Console.Out.WriteLine($"TLS: self-signed certificate {path} ({(created ? "created" : "reused")}), SHA-256 fingerprint {TlsFingerprint.Of(certificate)}");
        }

        return new TlsServerOptions
        {
            Certificate = certificate,
            Protocols = parse.GetValue(MinVersion),
            HandshakeTimeout = parse.GetValue(HandshakeTimeout),
            // The clear-text queue is held to the socket's own bound: a broadcast still finds a slow listener out.
            MaxOutputBufferBytes = limits.Connection.MaxOutputBufferBytes,
            OutputSegmentBytes = limits.Connection.OutputSegmentBytes,
            MaxInputBufferBytes = limits.Connection.MaxInputBufferBytes,
            ClientCertificateAuthorities = clientCa is null ? null : CertificateFiles.LoadAuthorities(clientCa, "--tls-client-ca"),
        };
    }

    private static AccessTokens LoadTokens(string path)
    {
        try
        {
            return AccessTokens.Load(path);
        }
        catch (FormatException ex)
        {
            throw new CliException(ExitCodes.BadInput, "--token-file " + ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.BadInput, $"--token-file '{path}': {(ex is FileNotFoundException or DirectoryNotFoundException ? "no such file" : ex.Message)}");
        }
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Security.Authentication;

namespace Streamer.Cli.Security;

/// <summary><c>--tls-min 1.3|1.2</c>: TLS 1.3 only by default; 1.2 admits older peers.</summary>
internal static class TlsVersionOption
{
    public static Option<SslProtocols> Create() => new("--tls-min")
    {
        Description = "Oldest TLS version accepted: 1.3 (default) or 1.2 (older peers; the certificate then travels in clear)",
        HelpName = "1.3|1.2",
        DefaultValueFactory = _ => SslProtocols.Tls13,
        CustomParser = Parse,
    };

    private static SslProtocols Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : string.Empty;
        switch (text)
        {
            case "1.3":
                return SslProtocols.Tls13;
            case "1.2":
                return SslProtocols.Tls12 | SslProtocols.Tls13;
            default:
                result.AddError($"--tls-min: '{text}' is not a TLS version (1.3 or 1.2)");
                return SslProtocols.Tls13;
        }
    }
}

using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;

namespace Streamer.Transport.Tls;

internal static partial class TlsLog
{
    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "TLS with {Remote}: {Protocol}, {CipherSuite}")]
    public static partial void Handshaken(ILogger logger, EndPoint? remote, SslProtocols protocol, TlsCipherSuite cipherSuite);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "TLS handshake with {Remote} failed: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 112, Level = LogLevel.Debug, Message = "{Remote} did not start with a TLS handshake; letting it through in clear to be refused")]
    public static partial void PlainClient(ILogger logger, EndPoint? remote);
}

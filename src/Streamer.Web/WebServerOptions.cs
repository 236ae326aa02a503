using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Streamer.Protocol.Security;

namespace Streamer.Web;

/// <summary>Where the web side listens and the limits that keep idle or hostile HTTP peers from costing audio listeners anything.</summary>
public sealed class WebServerOptions
{
    /// <summary>Address to listen on: an IP address, "localhost" (loopback) or "*" (every address). Default: loopback only.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (see <see cref="WebServer.Port"/>).</summary>
    public int Port { get; set; }

    /// <summary>
    /// Most HTTP connections at once (Kestrel's MaxConcurrentConnections): past it a new connection is closed at once,
    /// so 10 000 idle sockets cost a refusal each, never a slot of the audio server. Default 1000.
    /// </summary>
    public int MaxConnections { get; set; } = 1000;

    /// <summary>How long a client has to send its request headers before it is dropped (Kestrel's RequestHeadersTimeout). Default 5 s.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Response bytes buffered per connection before a write waits (Kestrel's MaxResponseBufferSize). Small, so a
    /// listener that stops reading is found behind (and skips ahead, then is dropped by the minimum data rate) within
    /// about 2 s of 64 kbit/s Opus. Default 16 KiB.
    /// </summary>
    public long MaxResponseBufferBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// Serve HTTPS only, with this certificate (and its private key): the same one as the audio port's
    /// <c>--tls</c>/<c>--tls-cert</c>. Null (the default): plain HTTP.
    /// </summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>The TLS versions HTTPS accepts (<c>--tls-min</c>). Default TLS 1.3 only.</summary>
    public SslProtocols TlsProtocols { get; set; } = SslProtocols.Tls13;

    /// <summary>With <see cref="Certificate"/>: require a client certificate issued by one of these CAs (<c>--tls-client-ca</c>).</summary>
    public X509Certificate2Collection? ClientCertificateAuthorities { get; set; }

    /// <summary>
    /// <c>--token-file</c>: every request but the page's static files needs a token with the listen role, as
    /// <c>Authorization: Bearer TOKEN</c> or <c>?token=TOKEN</c> (docs/web.md). Null (the default): no token needed.
    /// </summary>
    public AccessTokens? Tokens { get; set; }

    /// <summary>
    /// The chat room this process runs (<c>serve --chat-port</c>), shown on the page, in /status.json and /events:
    /// its members and last lines. Null (the default): <c>"chat": null</c>. Under <see cref="Tokens"/>, names and
    /// lines are shown only to a token with the chat role (or admin); a listen-only token sees how many are in the room.
    /// </summary>
    public Streamer.Chat.ChatServer? Chat { get; set; }

    /// <summary>
    /// Decides whether a request may have what it asks for (the stream, the page, the status), after the
    /// <see cref="Tokens"/> check. Null (the default) adds no check of its own.
    /// </summary>
    public IWebAccessGate? AccessGate { get; set; }
}

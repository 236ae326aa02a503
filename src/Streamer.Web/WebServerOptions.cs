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
    /// THE SECURITY SEAM: decides whether a request may have what it asks for (the stream, the page, the status).
    /// Null (the default) lets everyone on the listening address in: nothing here is protected yet (docs/web.md).
    /// </summary>
    public IWebAccessGate? AccessGate { get; set; }
}

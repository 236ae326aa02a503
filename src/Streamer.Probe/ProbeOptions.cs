using Streamer.Transport.Tls;

namespace Streamer.Probe;

/// <summary>How hard to try each target. Every target is probed at the same time, each on its own schedule.</summary>
public sealed class ProbeOptions
{
    /// <summary>Connect attempts per target before it is called down. Default 5 (the seed's). At least 1.</summary>
    public int Attempts { get; set; } = 5;

    /// <summary>Pause between failed attempts. Default 1 s. A down target takes about Attempts × (Timeout + Delay).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Limit for each name lookup, each connect, the Streamer hello and each pong. Default 3 s (the seed's).
    /// Shorter calls slow hosts down; longer makes a silent host hold the run up.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Pings sent to a target that speaks the Streamer protocol. Default 5; 0 skips the protocol check.</summary>
    public int PingCount { get; set; } = 5;

    /// <summary>When set, the protocol check runs over TLS checked this way (a TLS server); null (default) speaks plain TCP.</summary>
    public TlsClientOptions? Tls { get; set; }

    /// <summary>The access token sent in the probe's hello, for a server with a token file; null sends none. Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>Targets probed at once; the rest wait their turn. Default 256. Bounds sockets and memory.</summary>
    public int MaxConcurrency { get; set; } = 256;
}

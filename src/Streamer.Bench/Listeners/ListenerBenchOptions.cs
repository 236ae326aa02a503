using Streamer.Transport.Tls;

namespace Streamer.Bench.Listeners;

/// <summary>What <c>streamer bench listeners</c> measures: N listeners of one server for a while.</summary>
public sealed class ListenerBenchOptions
{
    /// <summary>The server's host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>The server's TCP port.</summary>
    public required int Port { get; init; }

    /// <summary>Null: the Streamer protocol. A path (e.g. "/live.opus"): plain HTTP GET listeners of that mount.</summary>
    public string? HttpPath { get; init; }

    /// <summary>Listeners to hold at once.</summary>
    public required int Count { get; init; }

    /// <summary>The measurement window, which opens once every listener has connected (or been refused).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Time between the last listener settling and the window opening, uncounted: a server's code paths
    /// for many listeners warm up (the JIT tiers them up) before they are measured. Default 0.</summary>
    public TimeSpan Warmup { get; init; }

    /// <summary>The codecs the listeners say they decode (they decode nothing: any codec is welcome).</summary>
    public IReadOnlyList<string> Codecs { get; init; } = [];

    /// <summary>The access token each Streamer-protocol listener sends in its hello (a server with a token file); null for none.</summary>
    public string? Token { get; init; }

    /// <summary>When set, each Streamer-protocol listener connects over TLS, checked this way; null: plain TCP.</summary>
    public TlsClientOptions? Tls { get; init; }

    /// <summary>The server process to sample (CPU, RSS), or null.</summary>
    public int? ServerPid { get; init; }

    /// <summary>Listeners connecting at once. Default 16: our server resets connections beyond 16 from one address
    /// that are still in their hello (its flood guard, <c>ConnectionHostOptions.MaxPendingPerAddress</c>), and a burst
    /// of a thousand would overflow any server's accept backlog and measure the kernel's SYN retries instead.</summary>
    public int ConnectConcurrency { get; init; } = 16;

    /// <summary>For each listener's connect, hello and first stream info together. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long every listener may take to settle before the window opens anyway. Default 60 s.</summary>
    public TimeSpan RampTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the server's idle CPU is sampled before the first listener connects. Default 3 s: /proc counts
    /// CPU time in ticks of 10 ms, so over 1 s the idle figure (and with it "added per listener") was only good to ±1 %
    /// of a core, as much as the user-space part of a thousand listeners.</summary>
    public TimeSpan IdleSample { get; init; } = TimeSpan.FromSeconds(3);
}

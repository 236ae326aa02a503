namespace Streamer.Bench.Listeners;

/// <summary>What <c>streamer bench listeners</c> measures: N listeners of one server for a while.</summary>
internal sealed class ListenerBenchOptions
{
    /// <summary>The server's host name or address.</summary>
    public required string Host { get; init; }

    public required int Port { get; init; }

    /// <summary>Null: the Streamer protocol. A path (e.g. "/live.opus"): plain HTTP GET listeners of that mount.</summary>
    public string? HttpPath { get; init; }

    public required int Count { get; init; }

    /// <summary>The measurement window, which opens once every listener has connected (or been refused).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The codecs the listeners say they decode (they decode nothing: any codec is welcome).</summary>
    public IReadOnlyList<string> Codecs { get; init; } = [];

    /// <summary>The server process to sample (CPU, RSS), or null.</summary>
    public int? ServerPid { get; init; }

    /// <summary>Listeners connecting at once. Default 64: a burst of a thousand would overflow a server's backlog
    /// (SYNs dropped, retried a second later) and measure the kernel rather than the server.</summary>
    public int ConnectConcurrency { get; init; } = 64;

    /// <summary>For each listener's connect, hello and first stream info together. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long every listener may take to settle before the window opens anyway. Default 60 s.</summary>
    public TimeSpan RampTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the server's idle CPU is sampled before the first listener connects. Default 1 s.</summary>
    public TimeSpan IdleSample { get; init; } = TimeSpan.FromSeconds(1);
}

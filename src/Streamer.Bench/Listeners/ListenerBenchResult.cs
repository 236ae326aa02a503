namespace Streamer.Bench.Listeners;

/// <summary>The server's CPU and memory over a bench run, from /proc.</summary>
/// <param name="Pid">The process sampled.</param>
/// <param name="IdleCpuPercent">Share of one core before any listener connected (the source alone).</param>
/// <param name="CpuPercent">Share of one core over the measurement window.</param>
/// <param name="RssBeforeBytes">VmRSS before the first listener connected.</param>
/// <param name="RssAfterBytes">VmRSS at the end of the window, every listener still connected.</param>
internal sealed record ServerFigures(int Pid, double IdleCpuPercent, double CpuPercent, long RssBeforeBytes, long RssAfterBytes)
{
    public long RssGrowthBytes => RssAfterBytes - RssBeforeBytes;
}

/// <summary>Everything <c>streamer bench listeners</c> reports.</summary>
internal sealed record ListenerBenchResult
{
    public required string Target { get; init; }

    /// <summary>"streamer" (the protocol) or "http".</summary>
    public required string Mode { get; init; }

    public required int Requested { get; init; }

    public required long Connected { get; init; }

    public required long Refused { get; init; }

    public required long Failed { get; init; }

    /// <summary>Connected listeners whose stream ended, or whose connection broke, inside the window.</summary>
    public required long Ended { get; init; }

    public required long Lost { get; init; }

    /// <summary>How long connecting every listener took.</summary>
    public required TimeSpan Ramp { get; init; }

    public required TimeSpan Window { get; init; }

    /// <summary>Frames (the protocol) or Ogg pages (HTTP) received inside the window, and their bytes.</summary>
    public required long Frames { get; init; }

    public required long Bytes { get; init; }

    public required long Skipped { get; init; }

    public required long OutOfOrder { get; init; }

    public required Percentiles Lateness { get; init; }

    /// <summary>Arrival − the frame's send stamp; null in HTTP mode (pages carry none).</summary>
    public required Percentiles? Delay { get; init; }

    /// <summary>The bench process's own CPU over the window (share of one core): a bench near a full core measures itself.</summary>
    public required double BenchCpuPercent { get; init; }

    public required ServerFigures? Server { get; init; }

    public required IReadOnlyDictionary<string, int> Refusals { get; init; }

    public required IReadOnlyDictionary<string, int> Failures { get; init; }

    /// <summary>Frames per second per connected listener over the window.</summary>
    public double FramesPerListenerSecond => Connected == 0 || Window <= TimeSpan.Zero ? 0 : Frames / (double)Connected / Window.TotalSeconds;
}

/// <summary>A distribution in microseconds.</summary>
internal readonly record struct Percentiles(long Count, long P50Us, long P99Us, long MaxUs);

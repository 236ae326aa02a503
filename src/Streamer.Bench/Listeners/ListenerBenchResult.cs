namespace Streamer.Bench.Listeners;

/// <summary>The server's CPU and memory over a bench run, from /proc.</summary>
/// <param name="Pid">The process sampled.</param>
/// <param name="IdleCpuPercent">Share of one core before any listener connected (the source alone).</param>
/// <param name="CpuPercent">Share of one core over the measurement window.</param>
/// <param name="RssBeforeBytes">VmRSS before the first listener connected.</param>
/// <param name="RssAfterBytes">VmRSS at the end of the window, every listener still connected.</param>
/// <param name="IdleUserCpuPercent">The part of <paramref name="IdleCpuPercent"/> in user space (the rest is the kernel's).</param>
/// <param name="UserCpuPercent">The part of <paramref name="CpuPercent"/> in user space: the server's own code, where the
/// rest is its system calls (sends cost any program the same there).</param>
public sealed record ServerFigures(int Pid, double IdleCpuPercent, double CpuPercent, long RssBeforeBytes, long RssAfterBytes, double IdleUserCpuPercent, double UserCpuPercent)
{
    /// <summary>VmRSS growth over the run: what the listeners cost the server.</summary>
    public long RssGrowthBytes => RssAfterBytes - RssBeforeBytes;
}

/// <summary>Everything <c>streamer bench listeners</c> reports.</summary>
public sealed record ListenerBenchResult
{
    /// <summary>The server as given (HOST:PORT or the HTTP URL).</summary>
    public required string Target { get; init; }

    /// <summary>"streamer" (the protocol) or "http".</summary>
    public required string Mode { get; init; }

    /// <summary>Listeners asked for (<c>--count</c>).</summary>
    public required int Requested { get; init; }

    /// <summary>Listeners that got a stream.</summary>
    public required long Connected { get; init; }

    /// <summary>Listeners the server turned away (an error frame, or an HTTP 4xx/5xx).</summary>
    public required long Refused { get; init; }

    /// <summary>Listeners that failed to connect for another reason (see <see cref="Failures"/>).</summary>
    public required long Failed { get; init; }

    /// <summary>Connected listeners whose stream ended, or whose connection broke, inside the window.</summary>
    public required long Ended { get; init; }

    /// <summary>Connected listeners whose connection broke inside the window.</summary>
    public required long Lost { get; init; }

    /// <summary>How long connecting every listener took.</summary>
    public required TimeSpan Ramp { get; init; }

    /// <summary>The measurement window.</summary>
    public required TimeSpan Window { get; init; }

    /// <summary>Frames (the protocol) or Ogg pages (HTTP) received inside the window, and their bytes.</summary>
    public required long Frames { get; init; }

    /// <summary>Bytes of those frames or pages.</summary>
    public required long Bytes { get; init; }

    /// <summary>Frames (or pages) missing from the sequence: what the server skipped.</summary>
    public required long Skipped { get; init; }

    /// <summary>Frames whose sequence went backwards.</summary>
    public required long OutOfOrder { get; init; }

    /// <summary>Arrival − the frame's scheduled arrival on its media clock (docs/bench.md).</summary>
    public required Percentiles Lateness { get; init; }

    /// <summary>Arrival − the frame's send stamp; null in HTTP mode (pages carry none).</summary>
    public required Percentiles? Delay { get; init; }

    /// <summary>The bench process's own CPU over the window (share of one core): a bench near a full core measures itself.</summary>
    public required double BenchCpuPercent { get; init; }

    /// <summary>The server's CPU and memory, given <c>--server-pid</c>; else null.</summary>
    public required ServerFigures? Server { get; init; }

    /// <summary>Refusal reasons and how many listeners got each.</summary>
    public required IReadOnlyDictionary<string, int> Refusals { get; init; }

    /// <summary>Failure descriptions and how many listeners had each.</summary>
    public required IReadOnlyDictionary<string, int> Failures { get; init; }

    /// <summary>Frames per second per connected listener over the window.</summary>
    public double FramesPerListenerSecond => Connected == 0 || Window <= TimeSpan.Zero ? 0 : Frames / (double)Connected / Window.TotalSeconds;
}

/// <summary>A distribution in microseconds.</summary>
public readonly record struct Percentiles(long Count, long P50Us, long P99Us, long MaxUs);

using System.Diagnostics;

namespace Streamer.Protocol;

/// <summary>Microsecond wall clock that is cheap to read and monotonic within a process.</summary>
public static class WallClock
{
    // Anchored to the microsecond (not the millisecond): processes on one machine then share one clock to within a few
    // µs, so a playout log's "server-clock" times compare across them (docs/playback.md, "Synchronized playout").
    private static readonly long StartUnixUs = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
    private static readonly long StartTicks = Stopwatch.GetTimestamp();

    // Anchoring the Stopwatch to one UTC reading keeps send times monotonic even if NTP steps the system clock.
    /// <summary>Microseconds since the Unix epoch, anchored to the system clock once at start-up and advanced by the monotonic stopwatch.</summary>
    public static long NowMicroseconds()
        => StartUnixUs + (long)((Stopwatch.GetTimestamp() - StartTicks) * (1_000_000.0 / Stopwatch.Frequency));
}

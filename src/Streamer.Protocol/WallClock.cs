using System.Diagnostics;

namespace Streamer.Protocol;

/// <summary>Microsecond wall clock that is cheap to read and monotonic within a process.</summary>
public static class WallClock
{
    private static readonly long StartUnixUs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
    private static readonly long StartTicks = Stopwatch.GetTimestamp();

    // Anchoring the Stopwatch to one UTC reading keeps send times monotonic even if NTP steps the system clock.
    /// <summary>Microseconds since the Unix epoch, anchored to the system clock once at start-up and advanced by the monotonic stopwatch.</summary>
    public static long NowMicroseconds()
        => StartUnixUs + (long)((Stopwatch.GetTimestamp() - StartTicks) * (1_000_000.0 / Stopwatch.Frequency));
}

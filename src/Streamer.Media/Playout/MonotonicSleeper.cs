using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Streamer.Media.Playout;

/// <summary>
/// Sleeps until a <see cref="Stopwatch"/> timestamp. On Linux one <c>clock_nanosleep(CLOCK_MONOTONIC,
/// TIMER_ABSTIME)</c> does it: <see cref="Thread.Sleep(int)"/> rounds to whole milliseconds and goes through the
/// runtime's mutex and condition variable (three futex calls per sleep), which a pacing thread pays 50–200 times a
/// second. Elsewhere, or if the Stopwatch is not CLOCK_MONOTONIC in nanoseconds, it falls back to Thread.Sleep.
/// </summary>
public static partial class MonotonicSleeper
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsoluteTime = 1;
    private const int Interrupted = 4; // EINTR
    private const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>True when sleeps go straight to clock_nanosleep.</summary>
    public static bool IsPrecise { get; } = ProbePrecise();

    /// <summary>Sleeps until <paramref name="stopwatchTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/> value); returns at once when it has passed.</summary>
    public static void SleepUntil(long stopwatchTimestamp)
    {
        if (IsPrecise)
        {
            var until = new Timespec(stopwatchTimestamp / NanosecondsPerSecond, stopwatchTimestamp % NanosecondsPerSecond);
            while (ClockNanosleep(ClockMonotonic, TimerAbsoluteTime, in until, IntPtr.Zero) == Interrupted)
            {
            }

            return;
        }

        SleepCoarse(stopwatchTimestamp);
    }

    /// <summary>The fallback (every OS runs it, so the tests do too): Thread.Sleep in whole milliseconds.</summary>
    internal static void SleepCoarse(long stopwatchTimestamp)
    {
        long wait;
        while ((wait = stopwatchTimestamp - Stopwatch.GetTimestamp()) > 0)
        {
            // Sleep takes whole milliseconds and truncates: round up, or the sleep ends before the deadline.
            Thread.Sleep((int)Math.Ceiling(wait * 1000.0 / Stopwatch.Frequency));
        }
    }

    private static bool ProbePrecise()
    {
        // Timespec is two longs only where time_t and long are 64-bit.
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8 || Stopwatch.Frequency != NanosecondsPerSecond)
        {
            return false;
        }

        try
        {
            // The runtime reads CLOCK_MONOTONIC for Stopwatch on Linux; check rather than trust it.
            long before = Stopwatch.GetTimestamp();
            if (ClockGettime(ClockMonotonic, out var now) != 0)
            {
                return false;
            }

            long after = Stopwatch.GetTimestamp();
            long monotonic = (now.Seconds * NanosecondsPerSecond) + now.Nanoseconds;
            return monotonic >= before - 1_000_000 && monotonic <= after + 1_000_000;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in Timespec request, IntPtr remain);

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGettime(int clock, out Timespec time);

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Timespec(long seconds, long nanoseconds)
    {
        public readonly long Seconds = seconds;
        public readonly long Nanoseconds = nanoseconds;
    }
}

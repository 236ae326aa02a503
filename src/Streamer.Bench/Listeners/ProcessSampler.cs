using System.Globalization;

namespace Streamer.Bench.Listeners;

/// <summary>A process's CPU time (all of it, and the part in user space: the rest is the kernel's, its system calls)
/// and resident memory, read from Linux's /proc (the server under test).</summary>
public readonly record struct ProcessSample(TimeSpan CpuTime, long RssBytes, long TakenTicks, TimeSpan UserCpuTime);

/// <summary>Reads <c>/proc/PID/stat</c> (utime + stime) and <c>/proc/PID/status</c> (VmRSS) of another process.</summary>
public static class ProcessSampler
{
    /// <summary>
    /// USER_HZ, the unit of utime and stime in /proc/PID/stat. The kernel fixes it at 100 for user space on every
    /// architecture .NET runs on (it is not CONFIG_HZ), so it is not read from sysconf.
    /// </summary>
    private const double ClockTicksPerSecond = 100;

    /// <summary>Null when the process does not exist (or /proc is not there: not Linux).</summary>
    public static ProcessSample? TryRead(int pid)
    {
        try
        {
            string stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            string status = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/status"));
            return new ProcessSample(ParseCpu(stat), ParseRss(status), System.Diagnostics.Stopwatch.GetTimestamp(), ParseUserCpu(stat));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        catch (FormatException)
        {
            // Not the /proc layout this reads (another kernel's): no figures rather than wrong ones.
            return null;
        }
    }

    /// <summary>utime + stime from a stat line. The command name (field 2) is in parentheses and may hold spaces
    /// and parentheses itself, so fields are counted from the last ')'.</summary>
    public static TimeSpan ParseCpu(string stat)
    {
        string[] fields = FieldsAfterName(stat);
        return Seconds(long.Parse(fields[UserTicks], CultureInfo.InvariantCulture) + long.Parse(fields[SystemTicks], CultureInfo.InvariantCulture));
    }

    /// <summary>utime alone (time in user space) from a stat line, as <see cref="ParseCpu"/> reads it.</summary>
    public static TimeSpan ParseUserCpu(string stat) => Seconds(long.Parse(FieldsAfterName(stat)[UserTicks], CultureInfo.InvariantCulture));

    // After ')': field 3 (state) is index 0, so utime (field 14) is index 11 and stime (field 15) index 12.
    private const int UserTicks = 11;
    private const int SystemTicks = 12;

    private static string[] FieldsAfterName(string stat)
    {
        int close = stat.LastIndexOf(')');
        if (close < 0)
        {
            throw new FormatException("a /proc stat line without the command name's ')'");
        }

        return stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static TimeSpan Seconds(long ticks) => TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);

    /// <summary>VmRSS from a status file, in bytes (0 for a zombie, which has none).</summary>
    public static long ParseRss(string status)
    {
        foreach (string line in status.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                string[] parts = line[6..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}

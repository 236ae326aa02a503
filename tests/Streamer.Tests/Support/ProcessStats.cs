using System.Globalization;

namespace Streamer.Tests.Support;

/// <summary>A process's threads, descriptors and CPU time, read from /proc (Linux).</summary>
internal static class ProcessStats
{
    public static int Threads(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                return int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no Threads line");
    }

    public static int Descriptors(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;

    /// <summary>Open descriptors whose target path ends with <paramref name="suffix"/> (e.g. the served WAV).</summary>
    public static int DescriptorsTo(int pid, string suffix)
    {
        int count = 0;
        foreach (string fd in Directory.GetFiles($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.EndsWith(suffix, StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // Closed while we looked.
            }
        }

        return count;
    }

    public static long ResidentBytes(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"no VmRSS in /proc/{pid}/status");
    }

    /// <summary>Waits (up to <paramref name="timeout"/>) for the descriptor count to fall to <paramref name="limit"/>; returns the last count.</summary>
    public static Task<int> WaitForDescriptorsAsync(int pid, int limit, TimeSpan timeout) => SettleAsync(() => Descriptors(pid), limit, timeout);

    /// <summary>User plus system CPU time in clock ticks (usually 100 a second).</summary>
    public static long CpuTicks(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>Polls <paramref name="read"/> until it is at most <paramref name="limit"/> (then returns it) or the deadline passes (returns the last value).</summary>
    public static async Task<int> SettleAsync(Func<int> read, int limit, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        int value = read();
        while (value > limit && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
            value = read();
        }

        return value;
    }
}

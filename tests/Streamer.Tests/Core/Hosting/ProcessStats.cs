using System.Globalization;

namespace Streamer.Tests.Core.Hosting;

/// <summary>What Linux says about a process: open descriptors and resident memory (the tests need /proc).</summary>
internal static class ProcessStats
{
    public static int OpenDescriptors(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

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
    public static async Task<int> WaitForDescriptorsAsync(int pid, int limit, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        int count;
        while ((count = OpenDescriptors(pid)) > limit && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        return count;
    }
}

using System.Diagnostics;
using System.IO.Enumeration;
using System.Runtime.InteropServices;

namespace Streamer.Protocol.Hosting;

/// <summary>
/// Tells the accept loop whether taking one more connection would eat into the descriptors kept in reserve, so the
/// server refuses newcomers <em>before</em> the kernel says EMFILE. Running out for real hurts everyone: a session
/// cannot open its source, and the runtime itself needs descriptors (its W^X double mapping, new sockets for the
/// sessions it already serves) and prints "Out of memory." when it gets none.
/// </summary>
/// <remarks>
/// The limit (<c>RLIMIT_NOFILE</c>) is re-read on every check (one system call), because an operator may lower it
/// while the server runs (<c>prlimit --pid</c>). The open descriptors are counted from <c>/proc/self/fd</c>, which
/// costs one directory read per check near the edge; far from it, a count at most <see cref="RecountPeriod"/> old
/// plus the connections accepted since is trusted. Off Linux, or when the limit is unlimited, there is always room.
/// Used by the accept loop only (one thread).
/// </remarks>
internal sealed class DescriptorBudget
{
    /// <summary>How long a count is trusted while far from the edge.</summary>
    public static readonly TimeSpan RecountPeriod = TimeSpan.FromSeconds(1);

    private readonly int _reserve;
    private readonly Func<long> _readLimit;
    private readonly Func<long, int> _countOpen;
    private readonly Func<long> _now;
    private int _counted = -1;
    private long _countedAt;
    private int _acceptedSinceCount;

    /// <param name="reserve">Descriptors to keep free (at most a tenth of the limit; 0 turns the check off).</param>
    /// <param name="readLimit">The current soft limit, or a value ≤ 0 for none (tests simulate it).</param>
    /// <param name="countOpen">Open descriptors numbered below the given limit (tests simulate it).</param>
    /// <param name="now">Stopwatch timestamps (tests simulate them).</param>
    public DescriptorBudget(int reserve, Func<long> readLimit, Func<long, int> countOpen, Func<long> now)
    {
        _reserve = reserve;
        _readLimit = readLimit;
        _countOpen = countOpen;
        _now = now;
    }

    /// <summary>The real process: <c>getrlimit</c> and <c>/proc/self/fd</c> on Linux; never short elsewhere.</summary>
    public static DescriptorBudget ForThisProcess(int reserve)
        => OperatingSystem.IsLinux()
            ? new DescriptorBudget(reserve, ReadSoftLimit, CountOpenDescriptors, Stopwatch.GetTimestamp)
            : new DescriptorBudget(0, static () => 0, static _ => 0, Stopwatch.GetTimestamp);

    /// <summary>What the last check found (for the log): open descriptors, the limit and the reserve.</summary>
    public (int Open, long Limit, int Reserve) Last { get; private set; }

    /// <summary>Counts a connection just accepted (its socket is one more descriptor than the last count saw).</summary>
    public void Accepted() => _acceptedSinceCount++;

    /// <summary>
    /// Whether one more connection fits above the reserve, with <paramref name="promised"/> descriptors already
    /// promised (connections in their hello that will open their source once admitted).
    /// </summary>
    public bool HasRoom(int promised)
    {
        if (_reserve <= 0)
        {
            return true;
        }

        long limit = _readLimit();
        if (limit <= 0 || limit >= int.MaxValue)
        {
            return true;
        }

        int reserve = (int)Math.Min(_reserve, limit / 10);
        long now = _now();
        bool fresh = _counted >= 0 && Stopwatch.GetElapsedTime(_countedAt, now) < RecountPeriod;
        if (fresh && limit - (_counted + _acceptedSinceCount) - promised > 2L * reserve)
        {
            return true;
        }

        int open = _countOpen(limit);
        if (open < 0)
        {
            // Could not even read the directory: that takes a descriptor too, so we are at the edge.
            open = (int)limit;
        }

        _counted = open;
        _countedAt = now;
        _acceptedSinceCount = 0;
        Last = (open, limit, reserve);
        return limit - open - promised > reserve;
    }

    private static long ReadSoftLimit()
    {
        try
        {
            return GetRlimit(RlimitNofile, out var limit) == 0 ? (long)Math.Min(limit.Current, long.MaxValue) : 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>Descriptors numbered below <paramref name="limit"/> (only those block the next <c>open</c>), or -1.</summary>
    private static int CountOpenDescriptors(long limit)
    {
        try
        {
            int count = 0;
            var entries = new FileSystemEnumerable<long>(
                "/proc/self/fd",
                static (ref FileSystemEntry entry) => long.TryParse(entry.FileName, out long fd) ? fd : -1,
                new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true });
            foreach (long fd in entries)
            {
                if (fd >= 0 && fd < limit)
                {
                    count++;
                }
            }

            return count;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    private const int RlimitNofile = 7;

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = false)]
#pragma warning disable SYSLIB1054 // a blittable out struct: no marshalling, and no unsafe code in this project
    private static extern int GetRlimit(int resource, out Rlimit limit);
#pragma warning restore SYSLIB1054

    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}

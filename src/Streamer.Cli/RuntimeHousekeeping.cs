using System.Runtime.InteropServices;

namespace Streamer.Cli;

/// <summary>
/// Gives memory the runtime no longer uses back to the system while a server runs, so its RSS follows its listeners.
/// Why: the memory the JIT used to compile the methods that got hot while a thousand listeners joined (12–14 MiB)
/// stayed resident for good, a third of a PCM broadcast's RSS growth at 1000 listeners (docs/performance.md, "RSS
/// per listener: the JIT's memory"). Two things held it:
/// <list type="bullet">
/// <item>the runtime caches up to 16 MiB of the JIT's freed blocks, and frees those unused for 2 s only when its
/// finalizer thread wakes, which is after a garbage collection; a broadcast allocates nothing per packet, so none
/// may come. Waiting for pending finalizers wakes that thread (it has nothing to finalize);</item>
/// <item>glibc keeps freed blocks inside its arenas mapped and resident unless they are at an arena's top;
/// <c>malloc_trim</c> gives their pages back (and does nothing where there is nothing to give).</item>
/// </list>
/// A pass costs one thread wake and a walk of malloc's free lists (0.1–1.5 ms, measured), and runs only after the
/// process has been busy (<see cref="HousekeepingSchedule"/>): a broadcast in its steady state has none.
/// </summary>
internal static partial class RuntimeHousekeeping
{
    /// <summary>How often it looks: the runtime frees cached JIT blocks unused across two wakes 2 s apart.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    private static bool s_trimUnavailable;

    /// <summary>Looks every <paramref name="period"/> until cancelled, and runs a pass when the schedule says so.</summary>
    public static async Task RunAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period);
        var schedule = new HousekeepingSchedule(System.Runtime.JitInfo.GetCompiledMethodCount(), GC.GetTotalAllocatedBytes());
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (schedule.ShouldPass(System.Runtime.JitInfo.GetCompiledMethodCount(), GC.GetTotalAllocatedBytes()))
                {
                    GC.WaitForPendingFinalizers();
                    TrimNativeHeap();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the server stopped
        }
    }

    /// <summary>
    /// Returns the free pages of malloc's arenas to the system: true when done, false where the C library has no
    /// <c>malloc_trim</c> (musl, other systems).
    /// </summary>
    internal static bool TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux() || s_trimUnavailable)
        {
            return false;
        }

        try
        {
            MallocTrim(0);
            return true;
        }
        catch (EntryPointNotFoundException)
        {
            s_trimUnavailable = true;
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}

namespace Streamer.Cli;

/// <summary>
/// When <see cref="RuntimeHousekeeping"/> runs a pass: at each look while the process is busy (the JIT compiled a
/// method, or at least <see cref="BusyAllocatedBytes"/> were allocated since the last look: listeners joining or
/// leaving), and at the <see cref="PassesAfterBusy"/> looks after, which is what the runtime needs to free the JIT's
/// cached blocks (one wake moves them aside, the next frees them) before malloc's pages are trimmed. A quiet server
/// (a broadcast allocates nothing per packet) runs none. A pure function of the counters it is given, so tests drive
/// it without a clock.
/// </summary>
internal sealed class HousekeepingSchedule
{
    /// <summary>Managed allocation between two looks that counts as busy: far above a quiet server's few pongs.</summary>
    public const long BusyAllocatedBytes = 1024 * 1024;

    /// <summary>Quiet looks that still get a pass after being busy.</summary>
    public const int PassesAfterBusy = 2;

    private long _compiledMethods;
    private long _allocatedBytes;
    private int _passesLeft;

    public HousekeepingSchedule(long compiledMethods, long allocatedBytes)
    {
        _compiledMethods = compiledMethods;
        _allocatedBytes = allocatedBytes;
    }

    /// <summary>Whether this look runs a pass, given the process's counters now.</summary>
    public bool ShouldPass(long compiledMethods, long allocatedBytes)
    {
        bool busy = compiledMethods != _compiledMethods || allocatedBytes - _allocatedBytes >= BusyAllocatedBytes;
        _compiledMethods = compiledMethods;
        _allocatedBytes = allocatedBytes;
        if (busy)
        {
            _passesLeft = PassesAfterBusy;
            return true;
        }

        if (_passesLeft == 0)
        {
            return false;
        }

        _passesLeft--;
        return true;
    }
}

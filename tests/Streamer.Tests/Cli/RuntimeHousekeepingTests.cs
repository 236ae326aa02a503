using System.Globalization;
using System.Runtime.InteropServices;
using Streamer.Cli;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// The server's housekeeping: freed native memory leaves the process (measured in this process's own memory map,
/// not by timing), and the loop ends when the server stops.
/// </summary>
public class RuntimeHousekeepingTests
{
    private const int ChunkBytes = 64 * 1024; // the JIT's block size: below malloc's mmap threshold, so in an arena
    private const int Chunks = 256;           // 16 MiB

    [LinuxFact("glibc's malloc_trim and /proc/self/smaps")]
    public unsafe void Trim_gives_the_pages_of_freed_blocks_back()
    {
        var blocks = new nint[Chunks + 1];
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i] = (nint)NativeMemory.Alloc(ChunkBytes);
            new Span<byte>((void*)blocks[i], ChunkBytes).Fill(0x5A); // resident
        }

        try
        {
            // Free all but the last: they are not at the arena's top, so free() alone keeps them resident.
            for (int i = 0; i < Chunks; i++)
            {
                NativeMemory.Free((void*)blocks[i]);
            }

            long before = ResidentKilobytes(blocks);
            Assert.True(RuntimeHousekeeping.TrimNativeHeap(), "malloc_trim is there on glibc");
            long after = ResidentKilobytes(blocks);

            long freedKb = (long)Chunks * ChunkBytes / 1024;
            Assert.True(before - after >= freedKb / 2, $"resident {before} kB before the trim, {after} kB after: expected at least {freedKb / 2} kB back of the {freedKb} kB freed");
        }
        finally
        {
            NativeMemory.Free((void*)blocks[Chunks]);
        }
    }

    [Fact]
    public async Task The_loop_ends_when_the_server_stops()
    {
        using var stop = new CancellationTokenSource();
        var loop = RuntimeHousekeeping.RunAsync(TimeSpan.FromMilliseconds(10), stop.Token);
        await Task.Delay(50);
        Assert.False(loop.IsCompleted, "it runs until cancelled");
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(30)); // ends, and without throwing
    }

    /// <summary>The resident size of every mapping that holds one of <paramref name="addresses"/>, each counted once.</summary>
    private static long ResidentKilobytes(nint[] addresses)
    {
        long total = 0;
        bool counting = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end))
            {
                counting = Array.Exists(addresses, a => (ulong)a >= start && (ulong)a < end);
            }
            else if (counting && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                total += long.Parse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return total;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Streamer.Streaming.Send;

/// <summary>
/// Asks the CPU to bring an object's first two cache lines in ahead of use. The broadcast's fan-out touches three
/// objects per listener per frame (the listener, its sender, its connection), a thousand listeners apart, with a
/// kernel send between each that evicts what the last one brought: without this each object is a cache miss on the
/// critical path, most of the fan-out's user-space time in a profile (docs/performance.md, "The fan-out").
/// A prefetch is only a hint: an address that is stale because the GC moved the object since is harmless (it never
/// faults), and where the instruction does not exist this does nothing.
/// </summary>
internal static class CachePrefetch
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Object(object? target)
    {
        if (Sse.IsSupported && target is not null)
        {
            // The reference is the object's address (its method table pointer, the fields right after).
            byte* address = (byte*)Unsafe.As<object, nint>(ref target);
            Sse.Prefetch0(address);
            Sse.Prefetch0(address + 64);
        }
    }
}

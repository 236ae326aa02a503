using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Streamer.Transport.Sockets;

/// <summary>
/// One non-blocking <c>send(2)</c> on a socket's descriptor, for <see cref="IImmediateSend"/> on Linux: what a C
/// server's fan-out does, one P/Invoke and no errno. Why not <c>Socket.Send(span, flags, out error)</c>: it costs four
/// more managed frames, the socket's state checks, a reference count on its handle (a second object: at a thousand
/// listeners each object is a cache miss) and the runtime's own shim per call, a measured part of a broadcast server's
/// CPU (docs/performance.md, "The fan-out"). The caller keeps the descriptor from being closed meanwhile
/// (<see cref="DescriptorGuard"/>).
/// </summary>
internal static partial class DirectSend
{
    private const int DontWait = 0x40;   // MSG_DONTWAIT: never block, whatever the socket's mode
    private const int NoSignal = 0x4000; // MSG_NOSIGNAL: a peer that is gone is an error, not SIGPIPE

    /// <summary>Whether this platform takes the direct path (Linux's flag values above).</summary>
    public static bool Supported { get; } = OperatingSystem.IsLinux();

    /// <summary>The descriptor of <paramref name="socket"/>, read once while it is open.</summary>
    public static int Descriptor(Socket socket) => (int)socket.SafeHandle.DangerousGetHandle();

    /// <summary>Bytes the kernel took at once: 0 when its buffer is full or anything failed.</summary>
    public static unsafe int TrySend(int descriptor, ReadOnlySpan<byte> data)
    {
        fixed (byte* bytes = data)
        {
            nint sent = Send(descriptor, bytes, (nuint)data.Length, DontWait | NoSignal);
            return sent > 0 ? (int)sent : 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "send")]
    private static unsafe partial nint Send(int fd, byte* buffer, nuint length, int flags);
}

/// <summary>
/// Keeps a socket's descriptor open while a direct send uses it: the send holds it for one system call, the closer
/// waits that out and closes it for good, so a send never reaches a descriptor that was closed and reused by another
/// connection. A struct inside the connection, for the reason in <see cref="DirectSend"/>.
/// </summary>
internal struct DescriptorGuard
{
    private const int Open = 0;
    private const int InUse = 1;
    private const int Closed = 2;
    private int _state;

    /// <summary>Takes the descriptor for one send; false once closed. Senders are serialized by the caller.</summary>
    public bool TryEnter() => Interlocked.CompareExchange(ref _state, InUse, Open) == Open;

    public void Exit() => Volatile.Write(ref _state, Open);

    /// <summary>Closes the guard, waiting out a send in progress (one system call) on another thread.</summary>
    public void Close()
    {
        var spin = default(SpinWait);
        while (true)
        {
            int state = Interlocked.CompareExchange(ref _state, Closed, Open);
            if (state != InUse)
            {
                return;
            }

            spin.SpinOnce();
        }
    }
}

using System.ComponentModel;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Streamer.Media.Sources.Live;

/// <summary>
/// POSIX named pipes (FIFOs): telling one from a file, and opening its read end as a true asynchronous stream. .NET
/// has no FIFO API: FileInfo reports a FIFO as a normal empty file, and a FileStream on one blocks a pool thread per
/// read; a <see cref="PipeStream"/> over the descriptor reads through the runtime's epoll loop instead.
/// </summary>
public static partial class NamedPipe
{
    private const int FileTypeMask = 0xF000;
    private const int FifoType = 0x1000;
    private const int OpenWriteOnly = 1;
    private const int EINTR = 4;
    private const short PollIn = 1;
    private static readonly int OpenNonBlocking = OperatingSystem.IsMacOS() ? 0x4 : 0x800;

    /// <summary>Whether <paramref name="path"/> is a FIFO (false for anything else, or nothing).</summary>
    public static bool IsFifo(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        FileStatus status;
        return Stat(path, out status) == 0 && (status.Mode & FileTypeMask) == FifoType;
    }

    /// <summary>
    /// Opens the read end, waiting (on the calling thread: call it from a thread that may block) until a writer opens
    /// the other end and writes or leaves. Throws <see cref="IOException"/> naming the problem.
    /// </summary>
    public static PipeStream OpenForReading(string path) => WaitForWriter(OpenReadEnd(path));

    /// <summary>
    /// Opens the read end at once, without waiting for a writer. While it is open, a writer's open succeeds and what
    /// it writes waits in the FIFO's buffer: open the next read end with this before closing the last one, and no
    /// writer that comes in between meets a FIFO without a reader (EPIPE, its audio lost). Then
    /// <see cref="WaitForWriter"/>. Throws <see cref="IOException"/> naming the problem.
    /// </summary>
    public static SafePipeHandle OpenReadEnd(string path)
    {
        while (true)
        {
            int fd = Open(path, OpenNonBlocking | (OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000));
            if (fd >= 0)
            {
                return new SafePipeHandle(fd, ownsHandle: true);
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
            {
                throw new IOException(new Win32Exception(errno).Message);
            }
        }
    }

    /// <summary>
    /// Waits (blocking the calling thread) until a writer has written to the read end <paramref name="handle"/> or has
    /// come and gone, then returns it as an asynchronous stream that reads to that writer's end.
    /// </summary>
    public static PipeStream WaitForWriter(SafePipeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        int fd = (int)handle.DangerousGetHandle();
        // poll on a FIFO's read end reports data, or a hang-up only once a writer has come since the open (Linux,
        // fs/pipe.c): so it sleeps through a gap in which nobody ever opened the write end.
        var poll = new PollFd { Fd = fd, Events = PollIn };
        while (Poll(ref poll, 1, -1) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
            {
                handle.Dispose();
                throw new IOException(new Win32Exception(errno).Message);
            }
        }

        if (SetIsNonBlocking(handle, 0) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new IOException(new Win32Exception(errno).Message);
        }

        return new AnonymousPipeClientStream(PipeDirection.In, handle);
    }

    /// <summary>
    /// Wakes a reader blocked in <see cref="OpenForReading"/> (at shutdown): opens and closes the write end without
    /// waiting, so that open returns and its first read sees the end. Does nothing when no reader is waiting.
    /// </summary>
    public static void WakeReader(string path)
    {
        int fd = Open(path, OpenWriteOnly | OpenNonBlocking);
        // ENXIO (no reader waiting) or the FIFO is gone: nobody to wake.
        if (fd >= 0)
        {
            Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollFd fds, nuint count, int timeoutMilliseconds);

    // The runtime's own (System.Native): fcntl is variadic in libc, which P/Invoke cannot call portably.
    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_FcntlSetIsNonBlocking", SetLastError = true)]
    private static partial int SetIsNonBlocking(SafePipeHandle fd, int isNonBlocking);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    // The runtime's own stat (System.Native ships with every .NET runtime): its FileStatus layout is the same on every
    // platform, unlike libc's struct stat, and its mode bits use the POSIX type values.
    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, out FileStatus status);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
        public uint Uid;
        public uint Gid;
        public long Size;

        // The rest (times, device, inode, user flags): room enough for every runtime's layout.
        private unsafe fixed byte _rest[128];
    }
}

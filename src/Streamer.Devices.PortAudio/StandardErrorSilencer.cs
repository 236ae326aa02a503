using System.Runtime.InteropServices;

namespace Streamer.Devices.PortAudio;

/// <summary>
/// Points file descriptor 2 at /dev/null for a moment: ALSA and JACK print probing noise ("cannot find card",
/// "Cannot connect to server socket") straight to stderr while PortAudio initializes and opens streams.
/// Anything else written to stderr in that window is lost too, so keep the window short. No-op on Windows.
/// </summary>
internal readonly partial struct StandardErrorSilencer : IDisposable
{
    private const int StandardError = 2;
    private const int WriteOnly = 1;

    private readonly int _saved;

    private StandardErrorSilencer(int saved)
    {
        _saved = saved;
    }

    public static StandardErrorSilencer Start()
    {
        if (OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable("STREAMER_PORTAUDIO_NOISE") == "1")
        {
            return new StandardErrorSilencer(-1);
        }

        int devNull = Open("/dev/null", WriteOnly);
        if (devNull < 0)
        {
            return new StandardErrorSilencer(-1);
        }

        int saved = Dup(StandardError);
        if (saved >= 0)
        {
            Dup2(devNull, StandardError);
        }

        Close(devNull);
        return new StandardErrorSilencer(saved);
    }

    public void Dispose()
    {
        if (_saved >= 0)
        {
            Dup2(_saved, StandardError);
            Close(_saved);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "dup")]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "dup2")]
    private static partial int Dup2(int fd, int fd2);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}

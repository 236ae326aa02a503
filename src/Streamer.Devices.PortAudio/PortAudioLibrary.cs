using System.Runtime.InteropServices;

namespace Streamer.Devices.PortAudio;

/// <summary>
/// The native PortAudio library, loaded by name at run time (so a missing library is a message, not a crash) and
/// called through function pointers. <c>STREAMER_PORTAUDIO_LIBRARY</c> overrides the name or path.
/// </summary>
internal sealed unsafe class PortAudioLibrary
{
    public const string OverrideVariable = "STREAMER_PORTAUDIO_LIBRARY";

    public const int PaContinue = 0;
    public const int PaComplete = 1;
    public const int NoDevice = -1;

    private static readonly Lazy<PortAudioLibrary?> Shared = new(Load);
    private static string? _loadError;

    private readonly nint _handle;

    private PortAudioLibrary(nint handle, string name)
    {
        _handle = handle;
        Name = name;
        Initialize = (delegate* unmanaged[Cdecl]<int>)Export("Pa_Initialize");
        Terminate = (delegate* unmanaged[Cdecl]<int>)Export("Pa_Terminate");
        GetErrorText = (delegate* unmanaged[Cdecl]<int, nint>)Export("Pa_GetErrorText");
        GetDeviceCount = (delegate* unmanaged[Cdecl]<int>)Export("Pa_GetDeviceCount");
        GetDefaultOutputDevice = (delegate* unmanaged[Cdecl]<int>)Export("Pa_GetDefaultOutputDevice");
        GetDeviceInfo = (delegate* unmanaged[Cdecl]<int, PaDeviceInfo*>)Export("Pa_GetDeviceInfo");
        GetHostApiInfo = (delegate* unmanaged[Cdecl]<int, PaHostApiInfo*>)Export("Pa_GetHostApiInfo");
        IsFormatSupported = (delegate* unmanaged[Cdecl]<PaStreamParameters*, PaStreamParameters*, double, int>)Export("Pa_IsFormatSupported");
        OpenStream = (delegate* unmanaged[Cdecl]<nint*, PaStreamParameters*, PaStreamParameters*, double, CULong, CULong, nint, nint, int>)Export("Pa_OpenStream");
        SetStreamFinishedCallback = (delegate* unmanaged[Cdecl]<nint, nint, int>)Export("Pa_SetStreamFinishedCallback");
        StartStream = (delegate* unmanaged[Cdecl]<nint, int>)Export("Pa_StartStream");
        AbortStream = (delegate* unmanaged[Cdecl]<nint, int>)Export("Pa_AbortStream");
        CloseStream = (delegate* unmanaged[Cdecl]<nint, int>)Export("Pa_CloseStream");
        IsStreamActive = (delegate* unmanaged[Cdecl]<nint, int>)Export("Pa_IsStreamActive");
        GetStreamInfo = (delegate* unmanaged[Cdecl]<nint, PaStreamInfo*>)Export("Pa_GetStreamInfo");
        GetDefaultInputDevice = (delegate* unmanaged[Cdecl]<int>)Export("Pa_GetDefaultInputDevice");
        ReadStream = (delegate* unmanaged[Cdecl]<nint, void*, CULong, int>)Export("Pa_ReadStream");
    }

    /// <summary>The library's file name as loaded.</summary>
    public string Name { get; }

    public delegate* unmanaged[Cdecl]<int> Initialize { get; }

    public delegate* unmanaged[Cdecl]<int> Terminate { get; }

    public delegate* unmanaged[Cdecl]<int, nint> GetErrorText { get; }

    public delegate* unmanaged[Cdecl]<int> GetDeviceCount { get; }

    public delegate* unmanaged[Cdecl]<int> GetDefaultOutputDevice { get; }

    public delegate* unmanaged[Cdecl]<int, PaDeviceInfo*> GetDeviceInfo { get; }

    public delegate* unmanaged[Cdecl]<int, PaHostApiInfo*> GetHostApiInfo { get; }

    public delegate* unmanaged[Cdecl]<PaStreamParameters*, PaStreamParameters*, double, int> IsFormatSupported { get; }

    public delegate* unmanaged[Cdecl]<nint*, PaStreamParameters*, PaStreamParameters*, double, CULong, CULong, nint, nint, int> OpenStream { get; }

    public delegate* unmanaged[Cdecl]<nint, nint, int> SetStreamFinishedCallback { get; }

    public delegate* unmanaged[Cdecl]<nint, int> StartStream { get; }

    public delegate* unmanaged[Cdecl]<nint, int> AbortStream { get; }

    public delegate* unmanaged[Cdecl]<nint, int> CloseStream { get; }

    public delegate* unmanaged[Cdecl]<nint, int> IsStreamActive { get; }

    public delegate* unmanaged[Cdecl]<nint, PaStreamInfo*> GetStreamInfo { get; }

    /// <summary>For capture (PortAudioInput).</summary>
    public delegate* unmanaged[Cdecl]<int> GetDefaultInputDevice { get; }

    /// <summary>The blocking read of a capture stream opened without a callback.</summary>
    public delegate* unmanaged[Cdecl]<nint, void*, CULong, int> ReadStream { get; }

    /// <summary>The file name looked for on this platform (or the override).</summary>
    public static string ExpectedName
        => Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } overridden ? overridden
            : OperatingSystem.IsWindows() ? "portaudio.dll"
            : OperatingSystem.IsMacOS() ? "libportaudio.dylib"
            : "libportaudio.so.2";

    /// <summary>The loaded library, or null (see <see cref="LoadError"/>).</summary>
    public static PortAudioLibrary? Instance => Shared.Value;

    public static string? LoadError
    {
        get
        {
            _ = Shared.Value;
            return _loadError;
        }
    }

    public string ErrorText(int code) => Marshal.PtrToStringUTF8(GetErrorText(code)) ?? $"PortAudio error {code}";

    private static PortAudioLibrary? Load()
    {
        string name = ExpectedName;
        string[] candidates = Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } ? [name]
            : OperatingSystem.IsMacOS() ? [name, "libportaudio.2.dylib", "/opt/homebrew/lib/libportaudio.dylib", "/usr/local/lib/libportaudio.dylib"]
            : OperatingSystem.IsWindows() ? [name, "libportaudio.dll", "portaudio_x64.dll"]
            : [name, "libportaudio.so"];
        foreach (string candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out nint handle))
            {
                try
                {
                    return new PortAudioLibrary(handle, candidate);
                }
                catch (EntryPointNotFoundException ex)
                {
                    _loadError = $"{candidate} is not a usable PortAudio v19 library ({ex.Message})";
                    NativeLibrary.Free(handle);
                    return null;
                }
            }
        }

        _loadError = $"PortAudio not found ({name}): " + (OperatingSystem.IsWindows()
            ? "put portaudio.dll next to streamer or on PATH"
            : OperatingSystem.IsMacOS() ? "install it with 'brew install portaudio'" : "install it with 'apt-get install libportaudio2'");
        return null;
    }

    private nint Export(string name) => NativeLibrary.GetExport(_handle, name);
}

using System.Globalization;
using System.Runtime.InteropServices;

namespace Streamer.Devices.PortAudio;

/// <summary>
/// PortAudio, initialized while someone uses it (a device listing, an open output) and terminated when the last one
/// lets go, so every Pa_Initialize has its Pa_Terminate; with its device list, and what is missing when it cannot
/// be used.
/// </summary>
public static unsafe class PortAudioHost
{
    private static readonly Lock Gate = new();
    private static int _users;
    private static string? _initError;

    internal static PortAudioLibrary? Library => PortAudioLibrary.Instance;

    /// <summary>Null when PortAudio loads and has an output device; else one line saying what is missing and how to get it.</summary>
    public static string? Missing()
    {
        if (!TryAcquire(out string? error))
        {
            return error;
        }

        using var lease = new Lease();
        return ListOutputDevices().Count == 0
            ? "no audio output device found (PortAudio sees none); use --output FILE.wav, null or -"
            : null;
    }

    /// <summary>Output devices (those with output channels). Empty when PortAudio is unavailable.</summary>
    public static IReadOnlyList<PortAudioDevice> ListOutputDevices()
    {
        var devices = new List<PortAudioDevice>();
        if (!TryAcquire(out _))
        {
            return devices;
        }

        using var lease = new Lease();
        var pa = Library!;
        int count = pa.GetDeviceCount();
        int defaultIndex = pa.GetDefaultOutputDevice();
        for (int i = 0; i < count; i++)
        {
            PaDeviceInfo* info = pa.GetDeviceInfo(i);
            if (info == null || info->MaxOutputChannels <= 0)
            {
                continue;
            }

            PaHostApiInfo* api = pa.GetHostApiInfo(info->HostApi);
            string apiName = api == null ? "?" : Marshal.PtrToStringUTF8(api->Name) ?? "?";
            devices.Add(new PortAudioDevice(
                i,
                Marshal.PtrToStringUTF8(info->Name) ?? $"device {i}",
                apiName,
                info->DefaultSampleRate,
                info->MaxOutputChannels,
                i == defaultIndex,
                info->DefaultLowOutputLatency));
        }

        return devices;
    }

    /// <summary>Finds a device by index or (case-insensitive, exact then substring) name; null picks the default.</summary>
    public static PortAudioDevice Find(string? spec)
    {
        var devices = ListOutputDevices();
        if (devices.Count == 0)
        {
            throw new AudioDeviceException(Missing() ?? "no audio output device found");
        }

        if (spec is null)
        {
            return devices.FirstOrDefault(d => d.IsDefault) ?? devices[0];
        }

        if (int.TryParse(spec, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return devices.FirstOrDefault(d => d.Index == index)
                ?? throw new AudioDeviceException($"--device {spec}: no output device with that index (see 'streamer devices')");
        }

        return devices.FirstOrDefault(d => string.Equals(d.Name, spec, StringComparison.OrdinalIgnoreCase))
            ?? devices.FirstOrDefault(d => d.Name.Contains(spec, StringComparison.OrdinalIgnoreCase))
            ?? throw new AudioDeviceException($"--device '{spec}': no output device by that name (see 'streamer devices')");
    }

    /// <summary>Users holding PortAudio initialized right now (0: terminated).</summary>
    internal static int Users
    {
        get
        {
            lock (Gate)
            {
                return _users;
            }
        }
    }

    /// <summary>Initializes PortAudio for one more user, unless it failed before; each success needs one <see cref="Release"/>.</summary>
    internal static bool TryAcquire(out string? error)
    {
        lock (Gate)
        {
            if (_users == 0 && _initError is null)
            {
                var pa = Library;
                if (pa is null)
                {
                    _initError = PortAudioLibrary.LoadError;
                }
                else
                {
                    int result;
                    using (StandardErrorSilencer.Start())
                    {
                        result = pa.Initialize();
                    }

                    if (result != 0)
                    {
                        _initError = $"PortAudio failed to start: {pa.ErrorText(result)}";
                    }
                }
            }

            error = _initError;
            if (error is not null)
            {
                return false;
            }

            _users++;
            return true;
        }
    }

    /// <summary>One user is done: the last one terminates PortAudio (which also closes what it still had open).</summary>
    internal static void Release()
    {
        lock (Gate)
        {
            if (_users > 0 && --_users == 0)
            {
                using (StandardErrorSilencer.Start())
                {
                    Library!.Terminate();
                }
            }
        }
    }

    /// <summary>Releases an acquired PortAudio at the end of a scope.</summary>
    private readonly struct Lease : IDisposable
    {
        public void Dispose() => Release();
    }
}

using System.Globalization;
using System.Runtime.InteropServices;

namespace Streamer.Devices.PortAudio;

/// <summary>PortAudio initialized once per process, with its device list; what is missing when it cannot be used.</summary>
internal static unsafe class PortAudioHost
{
    private static readonly Lock Gate = new();
    private static bool _initialized;
    private static string? _initError;

    internal static PortAudioLibrary? Library => PortAudioLibrary.Instance;

    /// <summary>Null when PortAudio loads and has an output device; else one line saying what is missing and how to get it.</summary>
    public static string? Missing()
    {
        if (!TryInitialize(out string? error))
        {
            return error;
        }

        return ListOutputDevices().Count == 0
            ? "no audio output device found (PortAudio sees none); use --output FILE.wav, null or -"
            : null;
    }

    /// <summary>Output devices (those with output channels). Empty when PortAudio is unavailable.</summary>
    public static IReadOnlyList<PortAudioDevice> ListOutputDevices()
    {
        var devices = new List<PortAudioDevice>();
        if (!TryInitialize(out _))
        {
            return devices;
        }

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

    internal static bool TryInitialize(out string? error)
    {
        lock (Gate)
        {
            if (!_initialized && _initError is null)
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

                    if (result == 0)
                    {
                        _initialized = true;
                    }
                    else
                    {
                        _initError = $"PortAudio failed to start: {pa.ErrorText(result)}";
                    }
                }
            }

            error = _initError;
            return _initialized;
        }
    }
}

using System.Globalization;
using System.Runtime.InteropServices;

namespace Streamer.Devices.PortAudio;

/// <summary>A capture device as PortAudio lists it.</summary>
internal sealed record PortAudioInputDevice(int Index, string Name, string HostApi, double DefaultSampleRate, int MaxInputChannels, bool IsDefault, double DefaultLowInputLatency);

/// <summary>The capture devices PortAudio sees (those with input channels), and finding one by <c>--device</c>.</summary>
internal static unsafe class PortAudioInputDevices
{
    /// <summary>Input devices; empty when PortAudio is unavailable. The caller holds PortAudio (<see cref="PortAudioHost.TryAcquire"/>).</summary>
    public static List<PortAudioInputDevice> List(PortAudioLibrary pa)
    {
        var devices = new List<PortAudioInputDevice>();
        int count;
        int defaultIndex;
        using (StandardErrorSilencer.Start())
        {
            count = pa.GetDeviceCount();
            defaultIndex = pa.GetDefaultInputDevice();
        }

        for (int i = 0; i < count; i++)
        {
            PaDeviceInfo* info = pa.GetDeviceInfo(i);
            if (info == null || info->MaxInputChannels <= 0)
            {
                continue;
            }

            PaHostApiInfo* api = pa.GetHostApiInfo(info->HostApi);
            devices.Add(new PortAudioInputDevice(
                i,
                Marshal.PtrToStringUTF8(info->Name) ?? $"device {i}",
                api == null ? "?" : Marshal.PtrToStringUTF8(api->Name) ?? "?",
                info->DefaultSampleRate,
                info->MaxInputChannels,
                i == defaultIndex,
                info->DefaultLowInputLatency));
        }

        return devices;
    }

    /// <summary>
    /// The device <paramref name="spec"/> names, by index or (case-insensitive, exact then substring) name; null picks
    /// the default. Throws <see cref="AudioDeviceException"/> with one line for the user.
    /// </summary>
    public static PortAudioInputDevice Find(PortAudioLibrary pa, string? spec)
    {
        var devices = List(pa);
        if (devices.Count == 0)
        {
            throw new AudioDeviceException("no audio input device found (PortAudio sees none): connect a microphone or line-in, or stream a file, '-', a FIFO or 'tone'");
        }

        if (spec is null)
        {
            return devices.Find(d => d.IsDefault) ?? devices[0];
        }

        if (int.TryParse(spec, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return devices.Find(d => d.Index == index)
                ?? throw new AudioDeviceException($"--device {spec}: no input device with that index; inputs: {Names(devices)}");
        }

        return devices.Find(d => string.Equals(d.Name, spec, StringComparison.OrdinalIgnoreCase))
            ?? devices.Find(d => d.Name.Contains(spec, StringComparison.OrdinalIgnoreCase))
            ?? throw new AudioDeviceException($"--device '{spec}': no input device by that name; inputs: {Names(devices)}");
    }

    private static string Names(List<PortAudioInputDevice> devices)
        => string.Join(", ", devices.ConvertAll(d => string.Create(CultureInfo.InvariantCulture, $"{d.Index} '{d.Name}'")));
}

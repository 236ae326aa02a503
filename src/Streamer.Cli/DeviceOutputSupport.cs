using Microsoft.Extensions.Logging;
using Streamer.Audio;
using Streamer.Audio.Outputs;
using Streamer.Audio.Outputs.PortAudio;

namespace Streamer.Cli;

/// <summary>Whether audio can go to a sound card here (PortAudio), and the output that does it.</summary>
internal static class DeviceOutputSupport
{
    /// <summary>Null when PortAudio loads and an output device exists; else one line saying what is missing and how to get it.</summary>
    public static string? Missing() => PortAudioHost.Missing();

    public static IAudioOutput Create(string? device, AudioFormat format, ILogger logger)
    {
        try
        {
            return PortAudioOutput.Open(device, format, logger);
        }
        catch (AudioDeviceException ex)
        {
            throw new CliException(ExitCodes.Failure, ex.Message);
        }
    }
}

using Microsoft.Extensions.Logging;
using Streamer.Devices.PortAudio;
using Streamer.Media;
using Streamer.Media.Outputs;

namespace Streamer.Cli;

/// <summary>Whether audio can go to a sound card here (PortAudio), and the output that does it.</summary>
internal static class DeviceOutputSupport
{
    /// <summary>Null when PortAudio loads and an output device exists; else one line saying what is missing and how to get it.</summary>
    public static string? Missing() => PortAudioHost.Missing();

    /// <param name="smallestTargetMs">The smallest jitter buffer target in use: device blocks are a quarter of it
    /// (2.5 to 10 ms), since the buffer needs half a block of headroom beyond its target.</param>
    public static IClockedOutput Create(string? device, double smallestTargetMs, AudioFormat format, ILogger logger)
    {
        try
        {
            return PortAudioOutput.Open(device, format, logger, OutputSelector.DeviceBlockMilliseconds(smallestTargetMs));
        }
        catch (AudioDeviceException ex)
        {
            throw new CliException(ExitCodes.Failure, ex.Message);
        }
    }
}

using Streamer.Audio;
using Streamer.Audio.Outputs;
using Streamer.Core.Protocol;

namespace Streamer.Cli;

/// <summary>Whether audio can go to a sound card here, and the output that does it.</summary>
internal static class DeviceOutputSupport
{
    /// <summary>Null when device output works here; else one line saying what is missing and how to get it.</summary>
    public static string? Missing() => "audio device output is not available in this build; use --output FILE.wav, null or -";

    public static IAudioOutput Create(StreamInfoMessage info, AudioFormat format)
        => throw new CliException(ExitCodes.Failure, Missing()!);
}

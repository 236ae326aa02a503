using System.CommandLine;
using System.Globalization;
using Streamer.Devices.PortAudio;

namespace Streamer.Cli.Commands;

/// <summary><c>streamer devices</c>: the audio output devices PortAudio sees.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "List audio output devices (for play/demo --device NAME|INDEX)");
        command.SetGuardedAction(async (parse, loggers, cancellationToken) =>
        {
            string? missing = DeviceOutputSupport.Missing();
            if (missing is not null)
            {
                throw new CliException(ExitCodes.Failure, missing);
            }

            await Console.Out.WriteLineAsync("INDEX  DEFAULT  RATE    CHANNELS  NAME (HOST API)");
            foreach (var device in PortAudioHost.ListOutputDevices())
            {
                await Console.Out.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{device.Index,5}  {(device.IsDefault ? "*" : string.Empty),7}  {device.DefaultSampleRate,-6:0}  {device.MaxOutputChannels,8}  {device.Name} ({device.HostApi})"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}

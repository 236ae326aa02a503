namespace Streamer.Devices.PortAudio;

/// <summary>The audio device cannot be found, opened or started; the message is one line for the user.</summary>
internal sealed class AudioDeviceException : Exception
{
    public AudioDeviceException(string message)
        : base(message)
    {
    }

    public AudioDeviceException()
    {
    }

    public AudioDeviceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Streamer.Devices.PortAudio;

/// <summary>The audio device cannot be found, opened or started; the message is one line for the user.</summary>
public sealed class AudioDeviceException : Exception
{
    /// <summary>Creates the exception with <paramref name="message"/>: one line for the user.</summary>
    public AudioDeviceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public AudioDeviceException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the <paramref name="innerException"/> cause.</summary>
    public AudioDeviceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

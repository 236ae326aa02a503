namespace Streamer.Media.Containers.Wav;

/// <summary>A WAV file that cannot be streamed; the message names the file and the problem in one line.</summary>
public sealed class InvalidWavException : Exception
{
    /// <summary>Creates the exception with <paramref name="message"/>: one line naming the file and the problem.</summary>
    public InvalidWavException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public InvalidWavException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the <paramref name="inner"/> cause.</summary>
    public InvalidWavException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

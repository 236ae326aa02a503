namespace Streamer.Media.Containers.Wav;

/// <summary>A WAV file that cannot be streamed; the message names the file and the problem in one line.</summary>
internal sealed class InvalidWavException : Exception
{
    public InvalidWavException(string message)
        : base(message)
    {
    }

    public InvalidWavException()
    {
    }

    public InvalidWavException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

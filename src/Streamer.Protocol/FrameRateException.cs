namespace Streamer.Protocol;

/// <summary>
/// The peer started a frame and sent the rest slower than <see cref="MinDataRate"/> allows. An
/// <see cref="IOException"/>, as a broken connection is: every reader already ends the connection on one.
/// </summary>
public sealed class FrameRateException : IOException
{
    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public FrameRateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public FrameRateException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the <paramref name="inner"/> cause.</summary>
    public FrameRateException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

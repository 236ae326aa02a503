namespace Streamer.Protocol;

/// <summary>
/// The peer started a frame and sent the rest slower than <see cref="MinDataRate"/> allows. An
/// <see cref="IOException"/>, as a broken connection is: every reader already ends the connection on one.
/// </summary>
internal sealed class FrameRateException : IOException
{
    public FrameRateException(string message)
        : base(message)
    {
    }

    public FrameRateException()
    {
    }

    public FrameRateException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

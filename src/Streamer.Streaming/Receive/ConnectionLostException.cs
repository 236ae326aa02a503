namespace Streamer.Streaming.Receive;

/// <summary>The server went away before the end of the stream.</summary>
public sealed class ConnectionLostException : IOException
{
    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ConnectionLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ConnectionLostException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the <paramref name="inner"/> cause.</summary>
    public ConnectionLostException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

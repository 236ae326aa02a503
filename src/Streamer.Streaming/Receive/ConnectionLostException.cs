namespace Streamer.Streaming.Receive;

/// <summary>The server went away before the end of the stream.</summary>
internal sealed class ConnectionLostException : IOException
{
    public ConnectionLostException(string message)
        : base(message)
    {
    }

    public ConnectionLostException()
    {
    }

    public ConnectionLostException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

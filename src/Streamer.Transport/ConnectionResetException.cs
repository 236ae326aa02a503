namespace Streamer.Transport;

/// <summary>The peer closed or reset the connection abruptly.</summary>
internal sealed class ConnectionResetException : IOException
{
    public ConnectionResetException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ConnectionResetException()
    {
    }

    public ConnectionResetException(string message)
        : base(message)
    {
    }
}

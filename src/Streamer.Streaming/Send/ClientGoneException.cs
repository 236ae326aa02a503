namespace Streamer.Streaming.Send;

/// <summary>A send found the client's connection closed: the session ends quietly ("disconnected").</summary>
internal sealed class ClientGoneException : Exception
{
    public ClientGoneException()
        : base("the client is gone")
    {
    }

    public ClientGoneException(string message)
        : base(message)
    {
    }

    public ClientGoneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

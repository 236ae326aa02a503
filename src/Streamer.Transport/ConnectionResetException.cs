namespace Streamer.Transport;

/// <summary>The peer closed or reset the connection abruptly; raised from <see cref="System.IO.Pipelines.IDuplexPipe.Input"/> after every byte that arrived before it.</summary>
public sealed class ConnectionResetException : IOException
{
    /// <summary>A reset described by <paramref name="message"/>, caused by <paramref name="inner"/> (the socket error).</summary>
    /// <param name="message">What happened.</param>
    /// <param name="inner">The transport's own error.</param>
    public ConnectionResetException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>A reset with the default message.</summary>
    public ConnectionResetException()
    {
    }

    /// <summary>A reset described by <paramref name="message"/>.</summary>
    /// <param name="message">What happened.</param>
    public ConnectionResetException(string message)
        : base(message)
    {
    }
}

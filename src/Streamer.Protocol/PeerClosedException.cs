namespace Streamer.Protocol;

/// <summary>The peer hung up cleanly where a frame was expected (port checks and probes do this).</summary>
public sealed class PeerClosedException : IOException
{
    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public PeerClosedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public PeerClosedException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the <paramref name="inner"/> cause.</summary>
    public PeerClosedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

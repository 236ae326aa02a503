namespace Streamer.Protocol;

/// <summary>The peer hung up cleanly where a frame was expected (port checks and probes do this).</summary>
internal sealed class PeerClosedException : IOException
{
    public PeerClosedException(string message)
        : base(message)
    {
    }

    public PeerClosedException()
    {
    }

    public PeerClosedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

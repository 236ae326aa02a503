namespace Streamer.Protocol;

/// <summary>The peer broke the protocol; the message is fit to show a user.</summary>
internal sealed class ProtocolException : Exception
{
    public ProtocolException(string message)
        : base(message)
    {
    }

    public ProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ProtocolException()
    {
    }
}

namespace Streamer.Protocol;

/// <summary>The peer broke the protocol; the message is fit to show a user.</summary>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the <paramref name="inner"/> cause.</summary>
    public ProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ProtocolException()
    {
    }
}

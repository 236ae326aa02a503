namespace Streamer.Protocol;

/// <summary>The peer sent an error frame; <see cref="Exception.Message"/> is its reason for the user.</summary>
public sealed class RemoteErrorException : Exception
{
    /// <summary>From a peer's error frame: both strings are the peer's, so they are neutralized here, once.</summary>
    public RemoteErrorException(string code, string message)
        : base(PeerText.ForDisplay(message))
    {
        Code = PeerText.ForDisplay(code);
    }

    /// <summary>Creates the exception with a default message and code "unknown".</summary>
    public RemoteErrorException()
    {
        Code = "unknown";
    }

    /// <summary>Creates the exception with <paramref name="message"/> and code "unknown".</summary>
    public RemoteErrorException(string message)
        : base(message)
    {
        Code = "unknown";
    }

    /// <summary>Creates the exception with <paramref name="message"/>, the <paramref name="inner"/> cause and code "unknown".</summary>
    public RemoteErrorException(string message, Exception inner)
        : base(message, inner)
    {
        Code = "unknown";
    }

    /// <summary>The peer's error code (for example "unsupported-codec").</summary>
    public string Code { get; }
}

namespace Streamer.Protocol;

/// <summary>The peer sent an error frame; <see cref="Exception.Message"/> is its reason for the user.</summary>
internal sealed class RemoteErrorException : Exception
{
    /// <summary>From a peer's error frame: both strings are the peer's, so they are neutralized here, once.</summary>
    public RemoteErrorException(string code, string message)
        : base(PeerText.ForDisplay(message))
    {
        Code = PeerText.ForDisplay(code);
    }

    public RemoteErrorException()
    {
        Code = "unknown";
    }

    public RemoteErrorException(string message)
        : base(message)
    {
        Code = "unknown";
    }

    public RemoteErrorException(string message, Exception inner)
        : base(message, inner)
    {
        Code = "unknown";
    }

    public string Code { get; }
}

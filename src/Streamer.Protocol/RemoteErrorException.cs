namespace Streamer.Protocol;

/// <summary>The peer sent an error frame; <see cref="Exception.Message"/> is its reason for the user.</summary>
internal sealed class RemoteErrorException : Exception
{
    public RemoteErrorException(string code, string message)
        : base(message)
    {
        Code = code;
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

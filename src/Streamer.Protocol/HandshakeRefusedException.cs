namespace Streamer.Protocol;

/// <summary>
/// The server turned a client away during the hello and has already told it (error frame sent, connection
/// lingered): the caller logs it and disposes the connection, and must not reset it.
/// </summary>
internal sealed class HandshakeRefusedException : Exception
{
    public HandshakeRefusedException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public HandshakeRefusedException()
    {
        Code = "unknown";
    }

    public HandshakeRefusedException(string message)
        : base(message)
    {
        Code = "unknown";
    }

    public HandshakeRefusedException(string message, Exception inner)
        : base(message, inner)
    {
        Code = "unknown";
    }

    public string Code { get; }
}

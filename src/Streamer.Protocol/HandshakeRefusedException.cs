namespace Streamer.Protocol;

/// <summary>
/// The server turned a client away during the hello and has already told it (error frame sent, connection
/// lingered): the caller logs it and disposes the connection, and must not reset it.
/// </summary>
public sealed class HandshakeRefusedException : Exception
{
    /// <summary>Creates the exception for a refusal sent with <paramref name="code"/> and <paramref name="message"/>.</summary>
    public HandshakeRefusedException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Creates the exception with a default message and code "unknown".</summary>
    public HandshakeRefusedException()
    {
        Code = "unknown";
    }

    /// <summary>Creates the exception with <paramref name="message"/> and code "unknown".</summary>
    public HandshakeRefusedException(string message)
        : base(message)
    {
        Code = "unknown";
    }

    /// <summary>Creates the exception with <paramref name="message"/>, the <paramref name="inner"/> cause and code "unknown".</summary>
    public HandshakeRefusedException(string message, Exception inner)
        : base(message, inner)
    {
        Code = "unknown";
    }

    /// <summary>The error code the client was sent (for example "server-full", "version-mismatch").</summary>
    public string Code { get; }
}

namespace Streamer.Chat;

/// <summary>The server ended the chat session before the user left.</summary>
public sealed class ChatClosedException : IOException
{
    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ChatClosedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ChatClosedException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the <paramref name="inner"/> cause.</summary>
    public ChatClosedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

namespace Streamer.Chat;

/// <summary>The server ended the chat session before the user left.</summary>
internal sealed class ChatClosedException : IOException
{
    public ChatClosedException(string message)
        : base(message)
    {
    }

    public ChatClosedException()
    {
    }

    public ChatClosedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

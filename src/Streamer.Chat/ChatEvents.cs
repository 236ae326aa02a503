namespace Streamer.Chat;

/// <summary>Values of <see cref="Protocol.ChatMessage.Event"/>; receivers show unknown ones as notices.</summary>
public static class ChatEvents
{
    /// <summary>A chat line.</summary>
    public const string Message = "message";
    /// <summary>Someone joined the room.</summary>
    public const string Join = "join";
    /// <summary>Someone left the room.</summary>
    public const string Leave = "leave";
    /// <summary>A notice from the server (for example that the room is closing).</summary>
    public const string Notice = "notice";
}

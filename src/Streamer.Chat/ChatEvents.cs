namespace Streamer.Chat;

/// <summary>Values of <see cref="Protocol.ChatMessage.Event"/>; receivers show unknown ones as notices.</summary>
internal static class ChatEvents
{
    public const string Message = "message";
    public const string Join = "join";
    public const string Leave = "leave";
    public const string Notice = "notice";
}

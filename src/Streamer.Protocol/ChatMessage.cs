using System.Buffers;
using MessagePack;

namespace Streamer.Protocol;

/// <summary>A chat line or room notice.</summary>
/// <param name="From">Sender's name, filled in by the server; empty from clients.</param>
/// <param name="Text">UTF-8 text.</param>
/// <param name="Event">"message", "join" or "leave" (or "notice" from the server).</param>
public sealed record ChatMessage(string From, string Text, string Event = "message") : IControlMessage
{
    /// <inheritdoc/>
    public FrameKind Kind => FrameKind.Chat;

    /// <inheritdoc/>
    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(3);
        writer.Write("from");
        writer.Write(From);
        writer.Write("text");
        writer.Write(Text);
        writer.Write("event");
        writer.Write(Event);
    }

    /// <summary>Reads a chat payload (unknown keys are skipped); throws <see cref="ProtocolException"/> when it is not a valid map.</summary>
    public static ChatMessage Read(ReadOnlySequence<byte> payload)
    {
        var map = MapReader.Create(payload, "chat");
        string from = string.Empty, text = string.Empty, evt = "message";
        while (map.TryReadKey(out string key))
        {
            switch (key)
            {
                case "from": from = map.ReadString() ?? string.Empty; break;
                case "text": text = map.ReadString() ?? string.Empty; break;
                case "event": evt = map.ReadString() ?? evt; break;
                default: map.Skip(); break;
            }
        }

        return new ChatMessage(from, text, evt);
    }
}

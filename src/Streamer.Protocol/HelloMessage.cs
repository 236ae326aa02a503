using System.Buffers;
using MessagePack;

namespace Streamer.Protocol;

/// <summary>First frame each side sends: its protocol version and what it can do.</summary>
/// <param name="Version">Protocol version; a mismatch is answered with an error frame.</param>
/// <param name="Role">What the sender is: "server", "play", "chat", "probe".</param>
/// <param name="Agent">Free text naming the software, e.g. "streamer/0.1.0".</param>
/// <param name="Codecs">Codec names the sender can decode (client) or may send (server).</param>
/// <param name="Name">Optional participant name (chat).</param>
internal sealed record HelloMessage(int Version, string Role, string Agent, IReadOnlyList<string> Codecs, string? Name = null) : IControlMessage
{
    public FrameKind Kind => FrameKind.Hello;

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(Name is null ? 4 : 5);
        writer.Write("version");
        writer.Write(Version);
        writer.Write("role");
        writer.Write(Role);
        writer.Write("agent");
        writer.Write(Agent);
        writer.Write("codecs");
        writer.WriteArrayHeader(Codecs.Count);
        for (int i = 0; i < Codecs.Count; i++)
        {
            writer.Write(Codecs[i]);
        }

        if (Name is not null)
        {
            writer.Write("name");
            writer.Write(Name);
        }
    }

    public static HelloMessage Read(ReadOnlySequence<byte> payload)
    {
        var map = MapReader.Create(payload, "hello");
        int version = -1;
        string role = string.Empty, agent = string.Empty;
        string? name = null;
        string[] codecs = [];
        while (map.TryReadKey(out string key))
        {
            switch (key)
            {
                case "version": version = (int)Math.Clamp(map.ReadInt64(), int.MinValue, int.MaxValue); break;
                case "role": role = map.ReadString() ?? string.Empty; break;
                case "agent": agent = map.ReadString() ?? string.Empty; break;
                case "codecs": codecs = map.ReadStringArray(); break;
                case "name": name = map.ReadString(); break;
                default: map.Skip(); break;
            }
        }

        if (version < 0)
        {
            throw new ProtocolException("hello has no protocol version");
        }

        return new HelloMessage(version, role, agent, codecs, name);
    }
}

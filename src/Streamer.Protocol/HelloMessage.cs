using System.Buffers;
using MessagePack;

namespace Streamer.Protocol;

/// <summary>First frame each side sends: its protocol version and what it can do.</summary>
/// <param name="Version">Protocol version; a mismatch is answered with an error frame.</param>
/// <param name="Role">What the sender is: "server", "play", "chat", "probe".</param>
/// <param name="Agent">Free text naming the software, e.g. "streamer/0.1.0".</param>
/// <param name="Codecs">Codec names the sender can decode (client) or may send (server).</param>
/// <param name="Name">Optional participant name (chat).</param>
public sealed record HelloMessage(int Version, string Role, string Agent, IReadOnlyList<string> Codecs, string? Name = null) : IControlMessage
{
    /// <inheritdoc/>
    public FrameKind Kind => FrameKind.Hello;

    /// <summary>
    /// A client's access token (optional key <c>token</c>), for a server started with <c>--token-file</c>; servers
    /// without one ignore it, as older servers skip the unknown key. Never shown or logged (<see cref="ToString"/>
    /// leaves it out); send it over TLS, or anyone on the path reads it.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>The hello for logs and messages: everything but the token.</summary>
    public override string ToString()
        => $"HelloMessage {{ Version = {Version}, Role = {Role}, Agent = {Agent}, Codecs = [{string.Join(", ", Codecs)}], Name = {Name}, Token = {(Token is null ? "none" : "(hidden)")} }}";

    /// <inheritdoc/>
    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(4 + (Name is null ? 0 : 1) + (Token is null ? 0 : 1));
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

        if (Token is not null)
        {
            writer.Write("token");
            writer.Write(Token);
        }
    }

    /// <summary>
    /// Reads a hello. <c>version</c> is required and must be an integer; the other keys are optional, and a key of
    /// the wrong type or bytes after the map make the hello malformed (answered with <c>bad-hello</c> by servers).
    /// </summary>
    public static HelloMessage Read(ReadOnlySequence<byte> payload)
    {
        var map = MapReader.Create(payload, "hello");
        int version = 0;
        bool hasVersion = false;
        string role = string.Empty, agent = string.Empty;
        string? name = null, token = null;
        string[] codecs = [];
        while (map.TryReadKey(out string key))
        {
            try
            {
                switch (key)
                {
                    case "version": version = (int)Math.Clamp(map.ReadInt64(), int.MinValue, int.MaxValue); hasVersion = true; break;
                    case "role": role = map.ReadString() ?? string.Empty; break;
                    case "agent": agent = map.ReadString() ?? string.Empty; break;
                    case "codecs": codecs = map.ReadStringArray(); break;
                    case "name": name = map.ReadString(); break;
                    case "token": token = map.ReadString(); break;
                    default: map.Skip(); break;
                }
            }
            catch (ProtocolException ex)
            {
                // Only our own key names go into the message: a peer's key is not shown.
                throw Expected(key) is { } expected
                    ? new ProtocolException($"the hello's '{key}' is not {expected}", ex)
                    : new ProtocolException("the hello is malformed: " + ex.Message, ex);
            }
        }

        if (!map.AtEnd)
        {
            throw new ProtocolException("the hello has bytes after its map");
        }

        if (!hasVersion)
        {
            throw new ProtocolException("the hello has no protocol version");
        }

        return new HelloMessage(version, role, agent, codecs, name) { Token = token };
    }

    private static string? Expected(string key) => key switch
    {
        "version" => "an integer",
        "codecs" => "an array of strings",
        "role" or "agent" or "name" or "token" => "a string",
        _ => null,
    };
}

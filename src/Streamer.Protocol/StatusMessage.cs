using System.Buffers;
using MessagePack;

namespace Streamer.Protocol;

/// <summary>
/// The state of a broadcast's input, sent by the server when it changes and repeated while the input is stalled, so
/// a listener knows why the audio paused and that the server is still there (docs/protocol.md, "Status").
/// </summary>
/// <param name="State"><see cref="Live"/> or <see cref="Stalled"/>; receivers treat other values as informational.</param>
public sealed record StatusMessage(string State) : IControlMessage
{
    /// <summary>Audio is flowing.</summary>
    public const string Live = "live";

    /// <summary>The input delivers nothing for now; the stream goes on when it resumes.</summary>
    public const string Stalled = "stalled";

    /// <inheritdoc/>
    public FrameKind Kind => FrameKind.Status;

    /// <summary>Whether the input is stalled (listeners keep their connection and wait).</summary>
    public bool IsStalled => string.Equals(State, Stalled, StringComparison.Ordinal);

    /// <inheritdoc/>
    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(1);
        writer.Write("state");
        writer.Write(State);
    }

    /// <summary>Reads a status payload; an unknown state is kept as it is (receivers treat it as live).</summary>
    public static StatusMessage Read(ReadOnlySequence<byte> payload)
    {
        var map = MapReader.Create(payload, "status");
        string state = string.Empty;
        while (map.TryReadKey(out string key))
        {
            switch (key)
            {
                case "state": state = map.ReadString() ?? string.Empty; break;
                default: map.Skip(); break;
            }
        }

        return new StatusMessage(state);
    }
}

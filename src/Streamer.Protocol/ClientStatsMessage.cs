using System.Buffers;
using MessagePack;

namespace Streamer.Protocol;

/// <summary>
/// A player's own view of its playback, sent to the server about once a second so the server can show every listener's
/// health (docs/protocol.md, "Client stats"). Informational only: the server never acts on it, and a peer's figures
/// are shown as numbers, never trusted. Servers that do not know kind 10 skip it.
/// </summary>
/// <param name="LatencyUs">Median latency from the sender's clock to playout, µs (0 when not measured yet).</param>
/// <param name="BufferUs">Audio in the jitter buffer now, µs.</param>
/// <param name="TargetUs">The jitter buffer's target depth, µs.</param>
/// <param name="Underruns">Times playout found the buffer empty.</param>
/// <param name="Lost">Frames never received (sequence gaps).</param>
/// <param name="Late">Frames that came after their playout time.</param>
/// <param name="Packets">Audio frames received.</param>
public sealed record ClientStatsMessage(long LatencyUs, long BufferUs, long TargetUs, long Underruns, long Lost, long Late, long Packets) : IControlMessage
{
    /// <inheritdoc/>
    public FrameKind Kind => FrameKind.ClientStats;

    /// <inheritdoc/>
    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(7);
        writer.Write("latencyUs");
        writer.Write(LatencyUs);
        writer.Write("bufferUs");
        writer.Write(BufferUs);
        writer.Write("targetUs");
        writer.Write(TargetUs);
        writer.Write("underruns");
        writer.Write(Underruns);
        writer.Write("lost");
        writer.Write(Lost);
        writer.Write("late");
        writer.Write(Late);
        writer.Write("packets");
        writer.Write(Packets);
    }

    /// <summary>Reads a client-stats payload; unknown keys are skipped, missing ones are 0. Throws <see cref="ProtocolException"/> when malformed.</summary>
    public static ClientStatsMessage Read(ReadOnlySequence<byte> payload)
    {
        var map = MapReader.Create(payload, "client stats");
        long latency = 0, buffer = 0, target = 0, underruns = 0, lost = 0, late = 0, packets = 0;
        while (map.TryReadKey(out string key))
        {
            switch (key)
            {
                case "latencyUs": latency = map.ReadInt64(); break;
                case "bufferUs": buffer = map.ReadInt64(); break;
                case "targetUs": target = map.ReadInt64(); break;
                case "underruns": underruns = map.ReadInt64(); break;
                case "lost": lost = map.ReadInt64(); break;
                case "late": late = map.ReadInt64(); break;
                case "packets": packets = map.ReadInt64(); break;
                default: map.Skip(); break;
            }
        }

        return new ClientStatsMessage(latency, buffer, target, underruns, lost, late, packets);
    }
}

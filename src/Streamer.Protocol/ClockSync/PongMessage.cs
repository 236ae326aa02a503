using System.Buffers;
using MessagePack;

namespace Streamer.Protocol.ClockSync;

/// <summary>
/// Answer to a ping, NTP style: the ping's send time (t0) and when the ping arrived (t1); the pong header's
/// send time is t2. With the pong's arrival t3 the pinger gets RTT = (t3 - t0) - (t2 - t1) and
/// clock offset = ((t1 - t0) + (t2 - t3)) / 2.
/// </summary>
public sealed record PongMessage(long PingSendTimeUs, long PingReceiveTimeUs) : IControlMessage
{
    /// <inheritdoc/>
    public FrameKind Kind => FrameKind.Pong;

    /// <inheritdoc/>
    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(2);
        writer.Write("t0");
        writer.Write(PingSendTimeUs);
        writer.Write("t1");
        writer.Write(PingReceiveTimeUs);
    }

    /// <summary>Reads a pong payload (unknown keys are skipped); throws <see cref="ProtocolException"/> when it is not a valid map.</summary>
    public static PongMessage Read(ReadOnlySequence<byte> payload)
    {
        var map = MapReader.Create(payload, "pong");
        long t0 = 0, t1 = 0;
        while (map.TryReadKey(out string key))
        {
            switch (key)
            {
                case "t0": t0 = map.ReadInt64(); break;
                case "t1": t1 = map.ReadInt64(); break;
                default: map.Skip(); break;
            }
        }

        return new PongMessage(t0, t1);
    }
}

using System.Buffers;
using MessagePack;

namespace Streamer.Protocol;

/// <summary>The last frame of a stream: how many audio frames and samples per channel were sent in all.</summary>
internal sealed record EndOfStreamMessage(long Frames, long Samples) : IControlMessage
{
    public FrameKind Kind => FrameKind.EndOfStream;

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(2);
        writer.Write("frames");
        writer.Write(Frames);
        writer.Write("samples");
        writer.Write(Samples);
    }

    public static EndOfStreamMessage Read(ReadOnlySequence<byte> payload)
    {
        var map = MapReader.Create(payload, "end of stream");
        long frames = 0, samples = 0;
        while (map.TryReadKey(out string key))
        {
            switch (key)
            {
                case "frames": frames = map.ReadInt64(); break;
                case "samples": samples = map.ReadInt64(); break;
                default: map.Skip(); break;
            }
        }

        return new EndOfStreamMessage(frames, samples);
    }
}

using System.Buffers;
using MessagePack;

namespace Streamer.Protocol;

/// <summary>The last frame of a stream: what this client was sent, and how long the stream was.</summary>
/// <param name="Frames">Audio frames sent to this client (frames skipped for it excluded).</param>
/// <param name="Samples">Samples per channel of the source those frames carry, at the stream's (decoded) rate: codec
/// padding and the codec's pre-skip excluded, so a whole stream sent in full gives <c>totalSamples</c>.</param>
/// <param name="StreamFrames">Audio frames in the whole stream (the sequence number after the last), skipped ones
/// included, so a receiver can conceal frames skipped at the very end; -1 when the sender did not say.</param>
public sealed record EndOfStreamMessage(long Frames, long Samples, long StreamFrames = -1) : IControlMessage
{
    /// <inheritdoc/>
    public FrameKind Kind => FrameKind.EndOfStream;

    /// <summary>The frame count a receiver conceals up to: the stream's, or what was sent when the sender did not say.</summary>
    public long ExpectedFrames => StreamFrames >= 0 ? StreamFrames : Frames;

    /// <inheritdoc/>
    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(StreamFrames >= 0 ? 3 : 2);
        writer.Write("frames");
        writer.Write(Frames);
        writer.Write("samples");
        writer.Write(Samples);
        if (StreamFrames >= 0)
        {
            writer.Write("streamFrames");
            writer.Write(StreamFrames);
        }
    }

    /// <summary>Reads an end-of-stream payload (unknown keys are skipped); throws <see cref="ProtocolException"/> when it is not a valid map.</summary>
    public static EndOfStreamMessage Read(ReadOnlySequence<byte> payload)
    {
        var map = MapReader.Create(payload, "end of stream");
        long frames = 0, samples = 0, streamFrames = -1;
        while (map.TryReadKey(out string key))
        {
            switch (key)
            {
                case "frames": frames = map.ReadInt64(); break;
                case "samples": samples = map.ReadInt64(); break;
                case "streamFrames": streamFrames = map.ReadInt64(); break;
                default: map.Skip(); break;
            }
        }

        return new EndOfStreamMessage(frames, samples, streamFrames);
    }
}

using System.Buffers;

namespace Streamer.Protocol;

/// <summary>A parsed frame. The payload is a slice of the reader's buffer: valid only until the reader advances.</summary>
internal readonly struct Frame
{
    public Frame(FrameHeader header, ReadOnlySequence<byte> payload)
    {
        Header = header;
        Payload = payload;
    }

    public FrameHeader Header { get; }

    public ReadOnlySequence<byte> Payload { get; }
}

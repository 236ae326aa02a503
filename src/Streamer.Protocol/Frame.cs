using System.Buffers;

namespace Streamer.Protocol;

/// <summary>A parsed frame. The payload is a slice of the reader's buffer: valid only until the reader advances.</summary>
public readonly struct Frame
{
    /// <summary>A frame of <paramref name="header"/> and <paramref name="payload"/>.</summary>
    public Frame(FrameHeader header, ReadOnlySequence<byte> payload)
    {
        Header = header;
        Payload = payload;
    }

    /// <summary>The frame's header.</summary>
    public FrameHeader Header { get; }

    /// <summary>The payload: a slice of the reader's buffer, valid until the reader advances.</summary>
    public ReadOnlySequence<byte> Payload { get; }
}

using MessagePack;

namespace Streamer.Protocol;

/// <summary>A control frame's payload: a MessagePack map with string keys, so fields can be added later.</summary>
public interface IControlMessage
{
    /// <summary>The frame kind that carries this message.</summary>
    FrameKind Kind { get; }

    /// <summary>Writes the message's map (the frame payload).</summary>
    void Write(ref MessagePackWriter writer);
}

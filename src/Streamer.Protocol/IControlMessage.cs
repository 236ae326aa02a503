using MessagePack;

namespace Streamer.Protocol;

/// <summary>A control frame's payload: a MessagePack map with string keys, so fields can be added later.</summary>
internal interface IControlMessage
{
    FrameKind Kind { get; }

    void Write(ref MessagePackWriter writer);
}

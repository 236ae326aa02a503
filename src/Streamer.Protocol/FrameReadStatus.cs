namespace Streamer.Protocol;

internal enum FrameReadStatus
{
    /// <summary>A whole frame was read and the buffer was advanced past it.</summary>
    Frame,

    /// <summary>The buffer holds only part of a frame; nothing was consumed.</summary>
    NeedMoreData,

    /// <summary>The length prefix announces more than the allowed maximum; the connection must be dropped.</summary>
    TooLarge,

    /// <summary>The header is not valid MessagePack of the expected shape; the connection must be dropped.</summary>
    Malformed,
}

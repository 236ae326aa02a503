using System.Buffers;

namespace Streamer.Media.Outputs;

/// <summary>
/// An output that also stores the encoded packets exactly as received (an Ogg Opus recording), beside the decoded
/// audio it plays from the jitter buffer.
/// </summary>
internal interface IPacketRecorder
{
    /// <summary>
    /// Called on the receive loop for each audio packet in order, before it is decoded. <paramref name="lostBefore"/>
    /// counts the packets missing just before this one. The payload is only valid during the call.
    /// </summary>
    void RecordPacket(ReadOnlySequence<byte> payload, uint lostBefore);
}

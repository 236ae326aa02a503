using System.Buffers;

namespace Streamer.Protocol;

/// <summary>Whole frames, already encoded, that <see cref="FrameSender.SendEncodedAsync"/> copies into a connection.</summary>
public interface IEncodedFrames
{
    /// <summary>Writes whole frames (length prefix, header, payload) into <paramref name="output"/>, synchronously.</summary>
    void WriteTo(IBufferWriter<byte> output);
}

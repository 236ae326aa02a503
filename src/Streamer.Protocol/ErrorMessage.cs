using System.Buffers;
using MessagePack;

namespace Streamer.Protocol;

/// <summary>Sent before closing on a fatal problem; the receiver shows <see cref="Message"/> to its user.</summary>
/// <param name="Code">Stable machine-readable code, e.g. "version-mismatch", "unsupported-codec", "bad-frame".</param>
/// <param name="Message">One line for a human.</param>
public sealed record ErrorMessage(string Code, string Message) : IControlMessage
{
    /// <inheritdoc/>
    public FrameKind Kind => FrameKind.Error;

    /// <inheritdoc/>
    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(2);
        writer.Write("code");
        writer.Write(Code);
        writer.Write("message");
        writer.Write(Message);
    }

    /// <summary>Reads an error payload (unknown keys are skipped); throws <see cref="ProtocolException"/> when it is not a valid map.</summary>
    public static ErrorMessage Read(ReadOnlySequence<byte> payload)
    {
        var map = MapReader.Create(payload, "error");
        string code = "unknown", message = string.Empty;
        while (map.TryReadKey(out string key))
        {
            switch (key)
            {
                case "code": code = map.ReadString() ?? code; break;
                case "message": message = map.ReadString() ?? string.Empty; break;
                default: map.Skip(); break;
            }
        }

        return new ErrorMessage(code, message);
    }
}

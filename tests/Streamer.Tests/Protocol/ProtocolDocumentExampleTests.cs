using System.Buffers;
using MessagePack;
using Streamer.Protocol;

namespace Streamer.Tests.Protocol;

/// <summary>The byte-level examples in docs/protocol.md, checked against the real writer and parser.</summary>
public class ProtocolDocumentExampleTests
{
    private const long ExampleSendTime = 1_764_064_800_000_000;

    // Length prefix | header [1, 0, 0, t] | payload {version: 1, role: "play", agent: "streamer/0.1.0", codecs: ["pcm"]}
    public static readonly byte[] HelloFrame = Convert.FromHexString(
        "0000000000000042" +
        "94010000cf0006446857c3c800" +
        "84a776657273696f6e01a4726f6c65a4706c6179a56167656e74ae73747265616d65722f302e312e30a6636f6465637391a370636d");

    // Length prefix | header [3, 2, 1920, t + 40 ms] | 8 bytes of s16le stereo samples
    public static readonly byte[] AudioFrame = Convert.FromHexString(
        "0000000000000017" +
        "940302cd0780cf0006446857c46440" +
        "0100ffff0200feff");

    [Fact]
    public void Hello_example_is_what_the_writer_produces()
    {
        var payload = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(payload);
        new HelloMessage(1, "play", "streamer/0.1.0", ["pcm"]).Write(ref writer);
        writer.Flush();
        var frame = new ArrayBufferWriter<byte>();
        FrameWriter.Write(frame, new FrameHeader(FrameKind.Hello, 0, 0, ExampleSendTime), payload.WrittenSpan);

        Assert.Equal(Convert.ToHexString(HelloFrame), Convert.ToHexString(frame.WrittenSpan));
    }

    [Fact]
    public void Audio_example_is_what_the_writer_produces_and_parses_back()
    {
        byte[] samples = [0x01, 0x00, 0xFF, 0xFF, 0x02, 0x00, 0xFE, 0xFF];
        var frame = new ArrayBufferWriter<byte>();
        FrameWriter.Write(frame, new FrameHeader(FrameKind.Audio, 2, 1920, ExampleSendTime + 40_000), samples);

        Assert.Equal(Convert.ToHexString(AudioFrame), Convert.ToHexString(frame.WrittenSpan));
        var buffer = new ReadOnlySequence<byte>(AudioFrame);
        Assert.Equal(FrameReadStatus.Frame, FrameParser.TryRead(ref buffer, 1024, out var parsed, out _));
        Assert.Equal(samples, parsed.Payload.ToArray());
    }
}

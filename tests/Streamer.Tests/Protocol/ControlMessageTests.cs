using System.Buffers;
using MessagePack;
using Streamer.Protocol;
using Streamer.Protocol.ClockSync;

namespace Streamer.Tests.Protocol;

public class ControlMessageTests
{
    private static ReadOnlySequence<byte> Serialize(IControlMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        message.Write(ref writer);
        writer.Flush();
        return new ReadOnlySequence<byte>(buffer.WrittenMemory);
    }

    [Fact]
    public void Hello_round_trips()
    {
        var hello = new HelloMessage(1, "play", "streamer/1.2.3", ["pcm", "opus"], "ada");
        var back = HelloMessage.Read(Serialize(hello));

        Assert.Equal(hello.Version, back.Version);
        Assert.Equal(hello.Role, back.Role);
        Assert.Equal(hello.Agent, back.Agent);
        Assert.Equal(hello.Codecs, back.Codecs);
        Assert.Equal("ada", back.Name);
    }

    [Fact]
    public void Stream_info_round_trips_with_parameters()
    {
        var info = new StreamInfoMessage("opus", 48000, 2, "s16le", 960, 3, 144000, new Dictionary<string, string> { ["bitrate"] = "64000", ["preSkip"] = "312" });
        var back = StreamInfoMessage.Read(Serialize(info));

        Assert.Equal(info.Codec, back.Codec);
        Assert.Equal(info.SampleRate, back.SampleRate);
        Assert.Equal(info.Channels, back.Channels);
        Assert.Equal(info.SampleFormat, back.SampleFormat);
        Assert.Equal(info.FrameSamples, back.FrameSamples);
        Assert.Equal(info.ChannelMask, back.ChannelMask);
        Assert.Equal(info.TotalSamples, back.TotalSamples);
        Assert.Equal("312", back.Parameters["preSkip"]);
    }

    [Fact]
    public void Error_pong_chat_and_end_of_stream_round_trip()
    {
        Assert.Equal(new ErrorMessage("version-mismatch", "no"), ErrorMessage.Read(Serialize(new ErrorMessage("version-mismatch", "no"))));
        Assert.Equal(new PongMessage(-1, long.MaxValue), PongMessage.Read(Serialize(new PongMessage(-1, long.MaxValue))));
        Assert.Equal(new ChatMessage("bob", "héllo ✓", "join"), ChatMessage.Read(Serialize(new ChatMessage("bob", "héllo ✓", "join"))));
        Assert.Equal(new EndOfStreamMessage(150, 144000), EndOfStreamMessage.Read(Serialize(new EndOfStreamMessage(150, 144000))));
    }

    [Fact]
    public void Unknown_keys_are_skipped()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(3);
        writer.Write("future");
        writer.WriteArrayHeader(2);
        writer.Write(1);
        writer.Write("x");
        writer.Write("code");
        writer.Write("busy");
        writer.Write("message");
        writer.Write("try later");
        writer.Flush();

        Assert.Equal(new ErrorMessage("busy", "try later"), ErrorMessage.Read(new ReadOnlySequence<byte>(buffer.WrittenMemory)));
    }

    [Fact]
    public void Hello_without_version_is_a_protocol_error()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(1);
        writer.Write("role");
        writer.Write("play");
        writer.Flush();

        Assert.Throws<ProtocolException>(() => HelloMessage.Read(new ReadOnlySequence<byte>(buffer.WrittenMemory)));
    }

    [Theory]
    [InlineData(new byte[] { 0x93, 0x01, 0x02, 0x03 })]
    [InlineData(new byte[] { 0xDF, 0x00, 0x01, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x81, 0xA7, (byte)'v', (byte)'e', (byte)'r', (byte)'s', (byte)'i', (byte)'o', (byte)'n', 0xC1 })]
    [InlineData(new byte[] { 0x81, 0xA7, (byte)'v', (byte)'e', (byte)'r' })]
    public void Malformed_or_oversized_payloads_are_protocol_errors(byte[] payload)
    {
        Assert.Throws<ProtocolException>(() => HelloMessage.Read(new ReadOnlySequence<byte>(payload)));
    }

    [Fact]
    public void Stream_info_out_of_range_is_refused()
    {
        var info = new StreamInfoMessage("pcm", 0, 2, "s16le", 960, 0, -1, new Dictionary<string, string>());
        Assert.Throws<ProtocolException>(() => StreamInfoMessage.Read(Serialize(info)));
    }
}

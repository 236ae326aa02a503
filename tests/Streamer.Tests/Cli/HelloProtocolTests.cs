using System.Buffers;
using System.Net.Sockets;
using MessagePack;
using Streamer.Media;
using Streamer.Protocol;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>What the audio server does with each kind of hello, as docs/protocol.md states it.</summary>
public class HelloProtocolTests
{
    private static readonly TimeSpan HangUpTimeout = TimeSpan.FromSeconds(20);

    private delegate void PayloadWriter(ref MessagePackWriter writer);

    [Fact]
    public async Task A_hello_with_bytes_after_its_map_is_refused_as_malformed()
    {
        byte[] payload = [.. Payload(static (ref MessagePackWriter w) => new HelloMessage(1, "probe", "test", []).Write(ref w)), 0xA3, 0x61, 0x62, 0x63];
        await AssertRefusedBeforeHelloAsync(HelloFrame(payload), "bad-hello", "bytes after its map");
    }

    [Fact]
    public async Task A_hello_whose_version_is_a_string_is_refused_as_malformed()
    {
        byte[] payload = Payload(static (ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(2);
            w.Write("version");
            w.Write("1");
            w.Write("role");
            w.Write("play");
        });
        await AssertRefusedBeforeHelloAsync(HelloFrame(payload), "bad-hello", "'version' is not an integer");
    }

    [Fact]
    public async Task A_hello_without_a_version_is_refused_as_malformed()
    {
        byte[] payload = Payload(static (ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(1);
            w.Write("role");
            w.Write("play");
        });
        await AssertRefusedBeforeHelloAsync(HelloFrame(payload), "bad-hello", "no protocol version");
    }

    [Fact]
    public async Task A_ping_before_the_hello_is_refused_hello_comes_first()
    {
        var ping = new ArrayBufferWriter<byte>();
        FrameWriter.Write(ping, FrameHeader.Control(FrameKind.Ping), ReadOnlySpan<byte>.Empty);
        await AssertRefusedBeforeHelloAsync([.. ping.WrittenSpan, .. RawPeer.Hello()], "bad-hello", "first frame must be a hello");
    }

    [Fact]
    public async Task Unknown_kinds_before_the_hello_are_skipped()
    {
        var unknown = new ArrayBufferWriter<byte>();
        FrameWriter.Write(unknown, new FrameHeader((FrameKind)200, 0, 0, 0), [9, 9, 9]);
        var frames = await ExchangeAsync(PcmServerArgs, [.. unknown.WrittenSpan, .. RawPeer.Hello()]);

        Assert.Equal(FrameKind.Hello, frames[0].Header.Kind);
        Assert.Equal(FrameKind.StreamInfo, frames[1].Header.Kind);
        Assert.Equal(FrameKind.EndOfStream, frames[^1].Header.Kind);
    }

    [Theory]
    [InlineData("chat", "not 'chat'")]
    [InlineData("server", "not 'server'")]
    [InlineData("made-up", "not 'made-up'")]
    [InlineData("", "no role")]
    public async Task Roles_the_audio_server_does_not_serve_are_refused_after_its_hello(string role, string reason)
    {
        var frames = await ExchangeAsync(PcmServerArgs, RawPeer.Frame(new HelloMessage(1, role, "test", ["pcm"])));

        Assert.Equal(2, frames.Count);
        Assert.Equal(FrameKind.Hello, frames[0].Header.Kind);
        var error = ErrorOf(frames[1]);
        Assert.Equal("wrong-role", error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_player_that_cannot_decode_the_servers_codec_is_refused_with_both_named()
    {
        var frames = await ExchangeAsync(["--codec", "opus", "--pace", "asap"], RawPeer.Frame(new HelloMessage(1, "play", "test", ["pcm", "ulaw"])));

        Assert.Equal(2, frames.Count);
        Assert.Equal(FrameKind.Hello, frames[0].Header.Kind);
        var error = ErrorOf(frames[1]);
        Assert.Equal("unsupported-codec", error.Code);
        Assert.Contains("sends opus", error.Message, StringComparison.Ordinal);
        Assert.Contains("(pcm, ulaw)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_hello_during_the_stream_is_ignored()
    {
        var frames = await ExchangeAsync(PcmServerArgs, [.. RawPeer.Hello(), .. RawPeer.Hello()]);

        Assert.Equal(FrameKind.Hello, Assert.Single(frames, f => f.Header.Kind == FrameKind.Hello).Header.Kind);
        Assert.Equal(FrameKind.EndOfStream, frames[^1].Header.Kind);
    }

    [Fact]
    public async Task A_client_that_half_closes_mid_stream_ends_its_stream()
    {
        using var dir = new TempDirectory();
        // 60 s at realtime: only the half-close can end it within the timeout.
        WavFixture.Write(dir.File("in.wav"), new AudioFormat(8000, 1, SampleEncoding.Int16), 8000 * 60);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"));
        await using (server)
        {
            using var peer = await RawPeer.ConnectAsync(port);
            await peer.SendAsync(RawPeer.Hello());
            peer.Socket.Shutdown(SocketShutdown.Send);
            var (bytes, reset) = await ErrorFrameDeliveryTests.ReadUntilClosedAsync(peer, HangUpTimeout);

            Assert.False(reset);
            var frames = RawPeer.Frames(bytes);
            Assert.Equal(FrameKind.Hello, frames[0].Header.Kind);
            Assert.DoesNotContain(frames, f => f.Header.Kind == FrameKind.EndOfStream);
        }
    }

    [Fact]
    public async Task End_of_stream_counts_exclude_the_codecs_padding_and_pre_skip()
    {
        var frames = await ExchangeAsync(["--codec", "opus", "--pace", "asap"], RawPeer.Frame(new HelloMessage(1, "play", "test", ["opus"])), seconds: 1, rate: 48000);

        var info = StreamInfoMessage.Read(new ReadOnlySequence<byte>(frames[1].Payload));
        var end = EndOfStreamMessage.Read(new ReadOnlySequence<byte>(frames[^1].Payload));
        int audio = frames.Count(f => f.Header.Kind == FrameKind.Audio);
        Assert.Equal(48000, info.TotalSamples);
        Assert.Equal(info.TotalSamples, end.Samples);
        Assert.Equal(audio, end.Frames);
        Assert.Equal(audio, end.StreamFrames);
    }

    [Fact]
    public async Task End_of_stream_counts_only_what_a_slow_client_was_sent()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        WavFixture.Write(dir.File("in.wav"), format, 48000 * 4);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"), "-v");
        await using (server)
        {
            using var slow = new RawPeer();
            slow.Socket.ReceiveBufferSize = 4096;
            await slow.Socket.ConnectAsync("127.0.0.1", port);
            await slow.Socket.SendAsync(RawPeer.Hello(), SocketFlags.None);
            // 4 KiB every 50 ms is 80 KB/s, well under the stream's 192 KB/s: the server skips frames for this client.
            using var all = new MemoryStream();
            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            int n;
            while ((n = await slow.Socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                all.Write(buffer, 0, n);
                await Task.Delay(50, timeout.Token);
            }

            var frames = RawPeer.Frames(all.ToArray());
            var audio = frames.Where(f => f.Header.Kind == FrameKind.Audio).ToList();
            var end = EndOfStreamMessage.Read(new ReadOnlySequence<byte>(frames[^1].Payload));
            Assert.Equal(FrameKind.EndOfStream, frames[^1].Header.Kind);
            Assert.True(end.StreamFrames > audio.Count, $"no frames were skipped ({audio.Count} of {end.StreamFrames} sent): the test proves nothing");
            Assert.Equal(audio.Count, end.Frames);
            Assert.Equal(audio.Sum(f => (long)f.Payload.Length) / format.BlockAlign, end.Samples);
            // Frames may also have been skipped after the last one sent: streamFrames still counts them.
            Assert.True(audio[^1].Header.Sequence < end.StreamFrames);
        }
    }

    private static readonly string[] PcmServerArgs = ["--pace", "asap"];

    private static async Task AssertRefusedBeforeHelloAsync(byte[] sent, string code, string reason)
    {
        var frames = await ExchangeAsync(PcmServerArgs, sent);

        var error = ErrorOf(Assert.Single(frames));
        Assert.Equal(code, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Sends <paramref name="sent"/> to a fresh server and returns every frame it answers before closing (cleanly).</summary>
    private static async Task<List<(FrameHeader Header, byte[] Payload)>> ExchangeAsync(string[] serverArgs, byte[] sent, int seconds = 1, int rate = 8000)
    {
        using var dir = new TempDirectory();
        WavFixture.Write(dir.File("in.wav"), new AudioFormat(rate, 1, SampleEncoding.Int16), rate * seconds);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"), serverArgs);
        await using (server)
        {
            using var peer = await RawPeer.ConnectAsync(port);
            await peer.SendAsync(sent);
            var (bytes, reset) = await ErrorFrameDeliveryTests.ReadUntilClosedAsync(peer, HangUpTimeout);
            Assert.False(reset, "the server reset the connection");
            return RawPeer.Frames(bytes);
        }
    }

    private static ErrorMessage ErrorOf((FrameHeader Header, byte[] Payload) frame)
    {
        Assert.Equal(FrameKind.Error, frame.Header.Kind);
        return ErrorMessage.Read(new ReadOnlySequence<byte>(frame.Payload));
    }

    private static byte[] Payload(PayloadWriter write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] HelloFrame(byte[] payload)
    {
        var frame = new ArrayBufferWriter<byte>();
        FrameWriter.Write(frame, FrameHeader.Control(FrameKind.Hello), payload);
        return frame.WrittenSpan.ToArray();
    }
}

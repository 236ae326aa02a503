using System.Buffers;
using System.Buffers.Binary;
using Streamer.Media;
using Streamer.Protocol;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>Peers that break the protocol are dropped and logged; everyone else keeps being served.</summary>
public class HostilePeerTests
{
    private static readonly TimeSpan HangUpTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Server_drops_hostile_clients_and_keeps_serving_the_others()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        byte[] samples = WavFixture.Samples(format, 48000 * 2);
        File.WriteAllBytes(dir.File("in.wav"), WavFixture.Build(format, samples));
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"));
        await using (server)
        {
            // A well-behaved listener in the middle of its (realtime, 2 s) stream while the attacks happen.
            var during = CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", dir.File("during.wav"), "-q"]);

            byte[] hugeLength = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(hugeLength, ulong.MaxValue - 1);
            await AssertHungUpAsync(port, hugeLength);

            byte[] garbage = new byte[8 + 6];
            BinaryPrimitives.WriteUInt64BigEndian(garbage, 6);
            new byte[] { 0xC1, 0x67, 0x61, 0x72, 0x62, 0x67 }.CopyTo(garbage, 8);
            await AssertHungUpAsync(port, garbage);

            byte[] truncated = RawPeer.Hello()[..10];
            await AssertHungUpAsync(port, truncated, closeAfterSending: true);

            byte[] helloThenHugeFrame = [.. RawPeer.Hello(), .. hugeLength];
            await AssertHungUpAsync(port, helloThenHugeFrame);

            using (var vanishing = await RawPeer.ConnectAsync(port))
            {
                await vanishing.SendAsync(RawPeer.Hello());
                var first = new byte[4096];
                await vanishing.Stream.ReadAtLeastAsync(first, 1024);
                vanishing.Reset();
            }

            var (code, _, stderr) = await during;
            Assert.True(code == 0, stderr);
            Assert.Equal(samples, WavFixture.DataOf(File.ReadAllBytes(dir.File("during.wav"))));

            var after = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", dir.File("after.wav"), "-q"]);
            Assert.True(after.ExitCode == 0, after.Stderr);
            Assert.Equal(samples, WavFixture.DataOf(File.ReadAllBytes(dir.File("after.wav"))));

            Assert.Contains("announced a frame of", server.Stderr);
            Assert.Contains("not a Streamer frame", server.Stderr);
            Assert.Contains("Dropping client", server.Stderr);
        }
    }

    [Fact]
    public async Task A_client_of_another_protocol_version_is_told_why()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(8000, 1, SampleEncoding.Int16);
        File.WriteAllBytes(dir.File("in.wav"), WavFixture.Build(format, WavFixture.Samples(format, 800)));
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"));
        await using (server)
        {
            using var peer = await RawPeer.ConnectAsync(port);
            await peer.SendAsync(RawPeer.Hello(version: 99));
            var frames = RawPeer.Frames(await peer.ReadToEndAsync(HangUpTimeout));

            var error = Assert.Single(frames);
            Assert.Equal(FrameKind.Error, error.Header.Kind);
            var message = ErrorMessage.Read(new ReadOnlySequence<byte>(error.Payload));
            Assert.Equal("version-mismatch", message.Code);
            Assert.Contains("client speaks 99", message.Message);
        }
    }

    [Fact]
    public async Task Unknown_frame_kinds_from_a_client_are_skipped()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(8000, 1, SampleEncoding.Int16);
        byte[] samples = WavFixture.Samples(format, 800);
        File.WriteAllBytes(dir.File("in.wav"), WavFixture.Build(format, samples));
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"), "--pace", "asap");
        await using (server)
        {
            using var peer = await RawPeer.ConnectAsync(port);
            var future = new ArrayBufferWriter<byte>();
            FrameWriter.Write(future, new FrameHeader((FrameKind)77, 0, 0, 0), [1, 2, 3]);
            await peer.SendAsync([.. RawPeer.Hello(), .. future.WrittenSpan.ToArray()]);
            var frames = RawPeer.Frames(await peer.ReadToEndAsync(HangUpTimeout));

            Assert.Equal(FrameKind.Hello, frames[0].Header.Kind);
            Assert.Equal(FrameKind.StreamInfo, frames[1].Header.Kind);
            Assert.Equal(FrameKind.EndOfStream, frames[^1].Header.Kind);
            Assert.Equal(samples, frames.Where(f => f.Header.Kind == FrameKind.Audio).SelectMany(f => f.Payload).ToArray());
        }
    }

    private static async Task AssertHungUpAsync(int port, byte[] bytes, bool closeAfterSending = false)
    {
        using var peer = await RawPeer.ConnectAsync(port);
        await peer.SendAsync(bytes);
        if (closeAfterSending)
        {
            peer.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        }

        var received = await peer.ReadToEndAsync(HangUpTimeout);
        Assert.True(RawPeer.Frames(received).All(f => f.Header.Kind is FrameKind.Hello or FrameKind.Error), "the server streamed to a broken client");
    }
}

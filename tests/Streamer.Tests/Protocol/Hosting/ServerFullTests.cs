using System.Buffers;
using Streamer.Media;
using Streamer.Protocol;
using Streamer.Tests.Support;

namespace Streamer.Tests.Protocol.Hosting;

/// <summary>A full audio server says so, in place of its hello, and the error is never lost to a reset.</summary>
public class ServerFullTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_full_server_answers_every_hello_with_server_full_and_play_prints_the_reason()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(8000, 1, SampleEncoding.Int16);
        WavFixture.Write(dir.File("in.wav"), format, 8000);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"), "--loop", "--max-clients", "1");
        await using (server)
        {
            using var holder = await RawPeer.ConnectAsync(port);
            await holder.SendAsync(RawPeer.Hello());
            await holder.Stream.ReadAtLeastAsync(new byte[64], 64);

            for (int attempt = 0; attempt < 50; attempt++)
            {
                using var peer = await RawPeer.ConnectAsync(port);
                await peer.SendAsync(RawPeer.Hello());
                var frames = RawPeer.Frames(await peer.ReadToEndAsync(Generous));

                var only = Assert.Single(frames);
                Assert.Equal(FrameKind.Error, only.Header.Kind);
                Assert.Equal("server-full", ErrorMessage.Read(new ReadOnlySequence<byte>(only.Payload)).Code);
            }

            for (int attempt = 0; attempt < 8; attempt++)
            {
                var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", dir.File("out.wav"), "-q"]);
                Assert.Equal(1, code);
                Assert.Contains("the server said: the server has too many clients; try again later", stderr, StringComparison.Ordinal);
            }

            Assert.Contains("server full (1 clients)", server.Stderr, StringComparison.Ordinal);
        }
    }
}

using System.Buffers;
using Streamer.Media;
using Streamer.Protocol;
using Streamer.Tests.Cli;
using Streamer.Tests.Support;

namespace Streamer.Tests.Transport.Kestrel;

/// <summary><c>streamer serve --transport kestrel</c>: the real binary on Kestrel's transport, played by the real client.</summary>
public class KestrelServeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("asap")]
    [InlineData("realtime")]
    public async Task Serve_over_kestrel_then_play_is_bit_exact(string pace)
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        string source = dir.File("in.wav");
        // Not a whole number of 20 ms frames: the short last frame crosses the transport too.
        byte[] samples = WavFixture.Write(source, format, 24000 + 37);

        var (server, port) = await ServerProcess.StartAsync(source, "--transport", "kestrel", "--pace", pace);
        await using (server)
        {
            string output = dir.File("out.wav");
            var (code, stdout, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", output, "-q"]);

            Assert.True(code == 0, $"play failed ({code}): {stderr}");
            Assert.Contains("0 lost", stdout, StringComparison.Ordinal);
            byte[] received = File.ReadAllBytes(output);
            Assert.Equal(format, WavFixture.HeaderOf(received).Format);
            Assert.Equal(samples, WavFixture.DataOf(received));
        }
    }

    [Fact]
    public async Task A_full_kestrel_server_refuses_with_server_full_and_play_prints_the_reason()
    {
        using var dir = new TempDirectory();
        WavFixture.Write(dir.File("in.wav"), new AudioFormat(8000, 1, SampleEncoding.Int16), 8000);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"), "--transport", "kestrel", "--loop", "--max-clients", "1");
        await using (server)
        {
            using var holder = await RawPeer.ConnectAsync(port);
            await holder.SendAsync(RawPeer.Hello());
            await holder.Stream.ReadAtLeastAsync(new byte[64], 64);

            for (int attempt = 0; attempt < 3; attempt++)
            {
                // A raw peer that waits for the server's close: it comes after the refusal's linger (Kestrel has no
                // half-close), as a FIN and never a reset.
                using var peer = await RawPeer.ConnectAsync(port);
                await peer.SendAsync(RawPeer.Hello());
                var (bytes, reset) = await ErrorFrameDeliveryTests.ReadUntilClosedAsync(peer, Generous);

                var only = Assert.Single(RawPeer.Frames(bytes));
                Assert.Equal(FrameKind.Error, only.Header.Kind);
                Assert.Equal("server-full", ErrorMessage.Read(new ReadOnlySequence<byte>(only.Payload)).Code);
                Assert.False(reset, $"try {attempt}: the server reset the connection instead of closing it");
            }

            for (int attempt = 0; attempt < 5; attempt++)
            {
                var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", dir.File("out.wav"), "-q"]);
                Assert.Equal(1, code);
                Assert.Contains("the server said: the server has too many clients; try again later", stderr, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_version_mismatch_with_unread_input_behind_it_is_refused_without_a_reset()
    {
        using var dir = new TempDirectory();
        WavFixture.Write(dir.File("in.wav"), new AudioFormat(8000, 1, SampleEncoding.Int16), 800);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"), "--transport", "kestrel");
        await using (server)
        {
            for (int attempt = 0; attempt < 3; attempt++)
            {
                using var peer = await RawPeer.ConnectAsync(port);
                // A frame right behind the hello: input the server has not read when it refuses, the classic cause of a reset.
                await peer.SendAsync([.. RawPeer.Hello(version: 99), .. RawPeer.Frame(new EndOfStreamMessage(0, 0))]);
                var (bytes, reset) = await ErrorFrameDeliveryTests.ReadUntilClosedAsync(peer, Generous);

                var error = Assert.Single(RawPeer.Frames(bytes));
                Assert.Equal(FrameKind.Error, error.Header.Kind);
                var message = ErrorMessage.Read(new ReadOnlySequence<byte>(error.Payload));
                Assert.Equal("version-mismatch", message.Code);
                Assert.Contains("client speaks 99", message.Message, StringComparison.Ordinal);
                Assert.False(reset, $"try {attempt}: the server reset the connection instead of closing it");
            }
        }
    }

    [Fact]
    public async Task Serve_rejects_an_unknown_transport_in_one_line()
    {
        using var dir = new TempDirectory();
        WavFixture.Write(dir.File("in.wav"), new AudioFormat(8000, 1, SampleEncoding.Int16), 800);

        var (code, _, stderr) = await CliProcess.RunAsync(["serve", dir.File("in.wav"), "--port", "0", "--transport", "uring"]);

        Assert.Equal(2, code);
        Assert.Contains("--transport: 'uring' is not a transport (sockets or kestrel)", stderr, StringComparison.Ordinal);
    }
}

using System.Net;
using Streamer.Media;
using Streamer.Tests.Probe;
using Streamer.Tests.Protocol;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// The ten-byte frame whose skipped header field claims 4 GB, sent by a "server" to each client: one line, no
/// stack trace, exit 1; among several probe targets it spoils only its own row.
/// </summary>
public class HostileFrameClientTests
{
    private static void AssertOneLine(string stderr)
    {
        Assert.DoesNotContain("Unhandled", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Play_says_it_in_one_line()
    {
        using var dir = new TempDirectory();
        await using var fake = new ScriptedServer(LyingHeaderTests.ReportedFrame);
        var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{fake.Port}", "--output", dir.File("out.wav"), "-q"]);

        Assert.Equal(1, code);
        Assert.StartsWith("streamer: error: server sent bytes that are not a Streamer frame", stderr, StringComparison.Ordinal);
        AssertOneLine(stderr);
    }

    [Fact]
    public async Task A_length_of_all_ones_is_shown_unsigned()
    {
        using var dir = new TempDirectory();
        await using var fake = new ScriptedServer([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{fake.Port}", "--output", dir.File("out.wav"), "-q"]);

        Assert.Equal(1, code);
        Assert.Contains("a frame of 18446744073709551615 bytes", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("-1 bytes", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_connect_says_it_in_one_line()
    {
        await using var fake = new ScriptedServer(LyingHeaderTests.ReportedFrame);
        await using var chat = CliProcess.Start(["chat", "connect", $"127.0.0.1:{fake.Port}", "--name", "alice"], redirectStdin: true);
        int code = await chat.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, code);
        Assert.StartsWith("streamer: error:", chat.Stderr, StringComparison.Ordinal);
        AssertOneLine(chat.Stderr);
    }

    [Fact]
    public async Task Probe_shows_the_good_targets_beside_it()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(8000, 1, SampleEncoding.Int16);
        File.WriteAllBytes(dir.File("in.wav"), WavFixture.Build(format, WavFixture.Samples(format, 8000)));
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"));
        await using (server)
        {
            await using var fake = new ScriptedServer(LyingHeaderTests.ReportedFrame);
            using var silent = LoopbackPorts.Listen(IPAddress.Loopback);
            int closed = LoopbackPorts.ClosedPort();
            var (code, stdout, stderr) = await CliProcess.RunAsync(
                ["probe", $"127.0.0.1:{port}", $"127.0.0.1:{fake.Port}", $"127.0.0.1:{LoopbackPorts.PortOf(silent)}", $"127.0.0.1:{closed}", "--retry", "1", "--timeout", "2s", "--count", "2"]);

            Assert.Equal(1, code);
            Assert.Empty(stderr);
            string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(5, lines.Length);
            Assert.Matches(@$"^127\.0\.0\.1:{port}\s+up\s.*streamer v\d+ server, rtt", lines[1]);
            Assert.Matches(@$"^127\.0\.0\.1:{fake.Port}\s+up\s.*not Streamer", lines[2]);
            Assert.Matches(@$"^127\.0\.0\.1:{LoopbackPorts.PortOf(silent)}\s+up\s", lines[3]);
            Assert.Matches(@$"^127\.0\.0\.1:{closed}\s+down\s", lines[4]);
        }
    }
}

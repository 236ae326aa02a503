using System.Text.Json;
using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary><c>play --output paced-null</c>: a clocked output without a card, for measuring the jitter buffer.</summary>
public class PacedNullPlaybackTests
{
    [Fact]
    public async Task A_live_stream_plays_through_a_paced_null_card_with_a_fixed_10_ms_target()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        string source = dir.File("in.wav");
        byte[] samples = WavFixture.Write(source, format, 24000);

        var (server, port) = await ServerProcess.StartAsync(source, "--frame-ms", "5");
        await using (server)
        {
            var (code, stdout, stderr) = await CliProcess.RunAsync(
                ["play", $"127.0.0.1:{port}", "--output", "paced-null", "--no-sync", "--jitter-ms", "10", "--stats", dir.File("stats.json"), "-q"]);

            Assert.True(code == 0, $"play failed ({code}): {stderr}");
            Assert.Contains("0 lost", stdout);
            using var stats = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
            var root = stats.RootElement;
            Assert.True(root.GetProperty("completed").GetBoolean());
            Assert.Equal("fixed", root.GetProperty("jitterMode").GetString());
            Assert.Equal(10, root.GetProperty("bufferTargetMs").GetDouble());
            Assert.Equal(100, root.GetProperty("packets").GetInt64());
            // Every sample reaches the "card", unless a loaded machine caused an underrun after which late audio is
            // dropped (what a card would do); underrun counts depend on scheduling, so they are not asserted.
            long played = root.GetProperty("samplesPlayed").GetInt64();
            if (root.GetProperty("underruns").GetInt64() == 0)
            {
                Assert.Equal(24000, played);
            }
            else
            {
                Assert.InRange(played, 1, 24000);
            }
        }
    }

    [Fact]
    public async Task A_fixed_target_shorter_than_the_packets_gets_a_warning()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        string source = dir.File("in.wav");
        WavFixture.Write(source, format, 4800);

        var (server, port) = await ServerProcess.StartAsync(source);
        await using (server)
        {
            var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", "paced-null", "--jitter-ms", "10", "-q"]);

            Assert.True(code == 0, $"play failed ({code}): {stderr}");
            Assert.Contains("fixed jitter target of 10 ms is shorter than the stream's 20 ms packets", stderr, StringComparison.Ordinal);
        }
    }
}

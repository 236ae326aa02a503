using System.Globalization;
using Streamer.Media;
using Streamer.Media.Playout;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary><c>play --duration</c>, <c>--playout-log</c> and <c>--card-ppm</c> through the real binary on loopback.</summary>
public class SyncPlaybackTests
{
    private static readonly AudioFormat Stereo48 = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public async Task Duration_stops_a_never_ending_stream_with_exit_0_and_a_finalized_wav()
    {
        using var dir = new TempDirectory();
        string source = dir.File("in.wav");
        WavFixture.Write(source, Stereo48, 48000);
        var (server, port) = await ServerProcess.StartAsync(source, "--loop");
        await using (server)
        {
            string output = dir.File("out.wav");
            var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", output, "--duration", "4s", "-q"], TimeSpan.FromSeconds(60));

            Assert.True(code == 0, $"exit {code}: {stderr}");
            byte[] wav = File.ReadAllBytes(output);
            var header = WavFixture.HeaderOf(wav);
            Assert.True(header.DataLength > 0, "the stream should have delivered audio before the duration ran out");
            Assert.Equal(header.DataLength, WavFixture.DataOf(wav).Length);
            Assert.Equal(0, header.DataLength % Stereo48.BlockAlign);
        }
    }

    [Fact]
    public async Task The_playout_log_has_one_row_per_frame_played_in_order_on_the_servers_clock()
    {
        using var dir = new TempDirectory();
        string source = dir.File("in.wav");
        WavFixture.Write(source, Stereo48, 48000 * 3);
        var (server, port) = await ServerProcess.StartAsync(source, "--latency-ms", "150");
        await using (server)
        {
            string log = dir.File("playout.csv");
            var (code, _, stderr) = await CliProcess.RunAsync(
                ["play", $"127.0.0.1:{port}", "--output", "paced-null", "--card-ppm", "300", "--playout-log", log, "--stats", dir.File("stats.json"), "-q"], TimeSpan.FromSeconds(60));

            Assert.True(code == 0, $"exit {code}: {stderr}");
            string[] lines = File.ReadAllLines(log);
            Assert.Equal(PlayoutLogWriter.Header, lines[0]);
            Assert.Equal("seq,timestamp,presented_server_us", lines[0]);
            var rows = lines.Skip(1).Select(line => line.Split(',').Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray()).ToList();
            // 150 frames were sent; a loaded machine may start late, or wake the card late, and drop the audio that
            // is past its time (those frames never play, so they have no row).
            Assert.InRange(rows.Count, 75, 150);
            Assert.Equal(149, rows[^1][0]);
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
            for (int i = 0; i < rows.Count; i++)
            {
                Assert.Equal(3, rows[i].Length);
                Assert.Equal(rows[i][0] * 960, rows[i][1]);
                // Server-clock microseconds since the Unix epoch: within the last minute.
                Assert.InRange(rows[i][2], now - 60_000_000, now + 1_000_000);
                if (i > 0)
                {
                    Assert.True(rows[i][0] > rows[i - 1][0], $"row {i} is not a later frame");
                    Assert.True(rows[i][2] > rows[i - 1][2], $"row {i} presented before row {i - 1}");
                }
            }
        }
    }

    [Theory]
    [InlineData("--card-ppm", "300", "null", "--card-ppm simulates a card's clock: it needs --output paced-null")]
    [InlineData("--card-ppm", "20000", "paced-null", "--card-ppm must be from -10000 to 10000")]
    [InlineData("--playout-log", "log.csv", "out.wav", "--playout-log needs an output that plays in real time")]
    [InlineData("--duration", "soon", "null", "--duration: 'soon' is not a positive duration")]
    public async Task Bad_sync_options_are_bad_input_in_one_line(string option, string value, string output, string message)
    {
        using var dir = new TempDirectory();
        string spec = output.EndsWith(".wav", StringComparison.Ordinal) ? dir.File(output) : output;
        var (code, _, stderr) = await CliProcess.RunAsync(["play", "127.0.0.1:1", "--output", spec, option, value], workingDirectory: dir.Path);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}

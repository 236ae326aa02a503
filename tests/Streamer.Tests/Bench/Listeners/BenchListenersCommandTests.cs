using System.Globalization;
using System.Text.Json;
using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Bench.Listeners;

/// <summary>
/// <c>streamer bench listeners</c> as a user runs it: against a real <c>streamer serve</c> on loopback (all connect,
/// nothing skipped, the JSON parses, the server's /proc figures are there), against a full server (refusals are
/// reported, not a crash), against a loopback HTTP server of Ogg pages (bytes and pages counted, gaps found), and
/// with bad input (one line, exit 2). No timing is asserted.
/// </summary>
public class BenchListenersCommandTests
{
    private static readonly AudioFormat Format = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public async Task Five_listeners_of_a_real_server_all_connect_skip_nothing_and_the_json_parses()
    {
        using var dir = new TempDirectory();
        WavFixture.Write(dir.File("in.wav"), Format, 48000);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"), "--loop");
        await using (server)
        {
            var (code, stdout, stderr) = await CliProcess.RunAsync(
                ["bench", "listeners", $"127.0.0.1:{port}", "--count", "5", "--seconds", "2", "--json", "--server-pid", server.Id.ToString(CultureInfo.InvariantCulture)],
                TimeSpan.FromSeconds(90));

            Assert.True(code == 0, $"exit {code}\n{stderr}");
            using var json = JsonDocument.Parse(stdout);
            var r = json.RootElement;
            Assert.Equal("streamer", r.GetProperty("mode").GetString());
            Assert.Equal(5, r.GetProperty("connected").GetInt32());
            Assert.Equal(0, r.GetProperty("refused").GetInt32());
            Assert.Equal(0, r.GetProperty("failed").GetInt32());
            Assert.Equal(0, r.GetProperty("skipped").GetInt64());
            Assert.Equal(0, r.GetProperty("lost").GetInt64());
            long frames = r.GetProperty("frames").GetInt64();
            Assert.True(frames > 0, "no frames received in the window");
            Assert.Equal(frames, r.GetProperty("lateness_us").GetProperty("count").GetInt64());
            // PCM 20 ms frames of 48 kHz stereo s16: 3840 bytes each.
            Assert.Equal(frames * 3840, r.GetProperty("bytes").GetInt64());
            var figures = r.GetProperty("server");
            Assert.Equal(server.Id, figures.GetProperty("pid").GetInt32());
            Assert.True(figures.GetProperty("rss_before_bytes").GetInt64() > 0);
            Assert.True(figures.GetProperty("rss_after_bytes").GetInt64() > 0);
            Assert.Equal(JsonValueKind.Number, figures.GetProperty("cpu_percent_per_listener").ValueKind);
            int connected = r.GetProperty("connected").GetInt32();
            double growth = (figures.GetProperty("cpu_percent").GetDouble() - figures.GetProperty("idle_cpu_percent").GetDouble()) / connected;
            // The two totals are written to 2 decimals and the per-listener figure (from the unrounded ones) to 4.
            Assert.Equal(growth, figures.GetProperty("cpu_growth_percent_per_listener").GetDouble(), (0.01 / connected) + 0.0001);
        }
    }

    [Fact]
    public async Task Listeners_past_max_clients_are_reported_as_refused_not_a_crash()
    {
        using var dir = new TempDirectory();
        WavFixture.Write(dir.File("in.wav"), Format, 48000);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"), "--loop", "--max-clients", "2");
        await using (server)
        {
            var (code, stdout, stderr) = await CliProcess.RunAsync(["bench", "listeners", $"127.0.0.1:{port}", "--count", "4", "--seconds", "1", "--json"], TimeSpan.FromSeconds(90));

            Assert.True(code == 0, $"exit {code}\n{stderr}");
            Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
            using var json = JsonDocument.Parse(stdout);
            var r = json.RootElement;
            Assert.Equal(2, r.GetProperty("connected").GetInt32());
            Assert.Equal(2, r.GetProperty("refused").GetInt32());
            Assert.Equal(2, r.GetProperty("refusals").GetProperty("server-full").GetInt32());
        }
    }

    [Fact]
    public async Task Http_listeners_count_bytes_and_ogg_pages_and_find_the_missing_pages()
    {
        await using var http = new OggHttpServer(200);

        var (code, stdout, stderr) = await CliProcess.RunAsync(["bench", "listeners", $"http://127.0.0.1:{http.Port}/live.opus", "--count", "3", "--seconds", "2", "--json"], TimeSpan.FromSeconds(90));

        Assert.True(code == 0, $"exit {code}\n{stderr}");
        using var json = JsonDocument.Parse(stdout);
        var r = json.RootElement;
        Assert.Equal("http", r.GetProperty("mode").GetString());
        Assert.Equal(3, r.GetProperty("connected").GetInt32());
        long pages = r.GetProperty("frames").GetInt64();
        long skipped = r.GetProperty("skipped").GetInt64();
        Assert.True(pages > 0, "no pages counted");
        // Every audio page is 27 + 1 + 160 bytes; each listener's 47-byte header page may fall inside the window.
        Assert.InRange(r.GetProperty("bytes").GetInt64(), pages * 188, (pages * 188) + (3 * 47));
        // The server leaves out every tenth sequence number: one gap per nine pages, give or take the window's edges.
        Assert.InRange(skipped, Math.Max(1, (pages / 9) - 6), (pages / 9) + 6);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("delay_us").ValueKind);
    }

    [Fact]
    public async Task An_http_403_is_a_refusal_and_no_listener_connecting_exits_1_with_one_line()
    {
        await using var http = new OggHttpServer(403);

        var (code, stdout, stderr) = await CliProcess.RunAsync(["bench", "listeners", $"http://127.0.0.1:{http.Port}/live.opus", "--count", "2", "--seconds", "1"], TimeSpan.FromSeconds(60));

        Assert.Equal(1, code);
        Assert.Contains("2 refused", stdout, StringComparison.Ordinal);
        Assert.Contains("HTTP 403", stdout, StringComparison.Ordinal);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("streamer: error: no listener connected", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://127.0.0.1:8443/live.opus", "not an http:// URL")]
    [InlineData("127.0.0.1:99999", "99999")]
    public async Task A_bad_target_is_one_line_and_exit_2(string target, string expected)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["bench", "listeners", target, "--count", "1", "--seconds", "1"], TimeSpan.FromSeconds(60));

        Assert.Equal(2, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_pid_that_does_not_exist_is_bad_input()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["bench", "listeners", "127.0.0.1:9", "--count", "1", "--seconds", "1", "--server-pid", "2147483647"], TimeSpan.FromSeconds(60));

        Assert.Equal(2, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--server-pid 2147483647: no such process", line, StringComparison.Ordinal);
    }
}

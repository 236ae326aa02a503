using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// <c>--metrics-port</c> on serve and play: a real server and a real player, each scraped over loopback while the
/// stream flows, as Prometheus would; and a port already taken fails with one line.
/// </summary>
public sealed partial class MetricsEndpointTests
{
    [Fact]
    public async Task Serve_and_play_expose_their_metrics_as_Prometheus_text()
    {
        var (server, port) = await ServerProcess.StartAsync("tone", "--metrics-port", "0");
        await using (server)
        {
            string serverMetrics = await MetricsUrlAsync(server);
            await using var player = CliProcess.Start(["play", $"127.0.0.1:{port}", "--output", "paced-null", "--duration", "30", "--metrics-port", "0"]);
            string playerMetrics = await MetricsUrlAsync(player);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

            // The player's figures grow while it plays; its jitter buffer holds some audio.
            var first = await ScrapeUntilAsync(http, playerMetrics, m => m.GetValueOrDefault("streamer_client_frames_received_total") >= 10);
            var later = await ScrapeUntilAsync(http, playerMetrics, m => m.GetValueOrDefault("streamer_client_frames_received_total") > first["streamer_client_frames_received_total"] + 10);
            Assert.True(later["streamer_client_bytes_received_bytes_total"] > first["streamer_client_bytes_received_bytes_total"]);
            Assert.Equal(1, later["streamer_client_active_streams"]);
            Assert.True(later["streamer_client_jitter_buffer_target_seconds"] > 0);
            Assert.True(later.ContainsKey("streamer_client_jitter_buffer_depth_seconds"));
            Assert.True(later["streamer_client_latency_seconds_count"] > 0);
            Assert.True(later["streamer_client_latency_seconds_sum"] > 0);
            Assert.True(later.ContainsKey("streamer_client_underruns_total"));

            // The server's: one listener, frames and bytes going out, counted as the player counts them.
            var served = await ScrapeUntilAsync(http, serverMetrics, m => m.GetValueOrDefault("streamer_server_frames_sent_total") >= later["streamer_client_frames_received_total"]);
            Assert.Equal(1, served["streamer_server_active_listeners"]);
            Assert.Equal(1, served["streamer_server_connections_total"]);
            Assert.True(served["streamer_server_bytes_sent_bytes_total"] >= later["streamer_client_bytes_received_bytes_total"]);

            // Not an open door: anything but /metrics is not served.
            using var other = await http.GetAsync(serverMetrics.Replace("/metrics", "/other", StringComparison.Ordinal));
            Assert.NotEqual(HttpStatusCode.OK, other.StatusCode);
        }
    }

    [Fact]
    public async Task A_metrics_port_in_use_fails_with_one_line()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, _, stderr) = await CliProcess.RunAsync(["serve", "tone", "--host", "127.0.0.1", "--port", "0", "--metrics-port", port.ToString(CultureInfo.InvariantCulture)]);

        Assert.Equal(1, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("streamer: error:", StringComparison.Ordinal));
        Assert.Contains($"--metrics-port: cannot serve metrics on http://127.0.0.1:{port}/metrics", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
    }

    private static async Task<string> MetricsUrlAsync(CliProcess cli)
    {
        string line = await cli.WaitForLineAsync(l => l.Contains("Metrics at http://", StringComparison.Ordinal));
        return UrlPattern().Match(line).Value;
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (20 s at most); returns the last scrape's samples by name.</summary>
    private static async Task<Dictionary<string, double>> ScrapeUntilAsync(HttpClient http, string url, Func<Dictionary<string, double>, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        Dictionary<string, double> samples;
        string text;
        do
        {
            using var response = await http.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            text = await response.Content.ReadAsStringAsync();
            samples = Parse(text);
            if (done(samples))
            {
                return samples;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException("the metrics never showed what was expected; last scrape:\n" + text);
    }

    /// <summary>Prometheus text: <c>name{labels} value</c> per sample (comments skipped); the Streamer samples only.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match match in SamplePattern().Matches(text))
        {
            samples[match.Groups[1].Value] = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        return samples;
    }

    [GeneratedRegex(@"http://\S+/metrics")]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"^(streamer_[a-z_]+)(?:\{[^}]*\})? (\S+)", RegexOptions.Multiline)]
    private static partial Regex SamplePattern();
}

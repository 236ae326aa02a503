using System.Globalization;
using System.Text.Json;
using Streamer.Tests.Support;

namespace Streamer.Tests.Web;

/// <summary>
/// /stream.opus of a real <c>streamer serve … --http-port 0</c>: ffprobe (a real reader) sees Opus at 48 kHz stereo,
/// transcoded from PCM and passed through from an Opus broadcast; every listener gets its own fresh headers and page
/// numbering with valid CRCs; 200 listeners held by one <c>streamer bench listeners</c> process all get valid pages;
/// unknown paths are 404. No timing is asserted.
/// </summary>
public class OggHttpStreamTests
{
    [Theory]
    [InlineData("pcm", true)]
    [InlineData("ulaw", true)]
    [InlineData("opus", false)]
    public async Task Ffprobe_reads_the_live_stream_as_opus_48k_stereo(string codec, bool transcoded)
    {
        var (server, _, httpPort) = await WebServerProcess.StartAsync("tone", "--codec", codec);
        await using (server)
        {
            byte[] data = await WebServerProcess.ReadStreamAsync(httpPort, 12_000);
            using var dir = new TempDirectory();
            string file = dir.File("live.opus");
            await File.WriteAllBytesAsync(file, data);
            var (code, stdout, stderr) = ExternalTool.Run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "default=noprint_wrappers=1", file);

            Assert.True(code == 0, $"ffprobe failed: {stderr}");
            Assert.Contains("codec_name=opus", stdout, StringComparison.Ordinal);
            Assert.Contains("sample_rate=48000", stdout, StringComparison.Ordinal);
            // The tone is stereo, and so is every codec's stream of it (G.711 at 8 kHz, resampled to Opus's 48 kHz).
            Assert.Contains("channels=2", stdout, StringComparison.Ordinal);
            using var status = await WebServerProcess.StatusAsync(httpPort);
            Assert.Equal(transcoded, status.RootElement.GetProperty("stream").GetProperty("http").GetProperty("transcoded").GetBoolean());
        }
    }

    [Fact]
    public async Task Each_listener_gets_fresh_headers_its_own_serial_and_numbering_and_valid_crcs()
    {
        var (server, _, httpPort) = await WebServerProcess.StartAsync("tone");
        await using (server)
        {
            byte[] first = await WebServerProcess.ReadStreamAsync(httpPort, 6000);
            byte[] second = await WebServerProcess.ReadStreamAsync(httpPort, 6000);
            var a = WebServerProcess.Pages(first);
            var b = WebServerProcess.Pages(second);
            foreach (var pages in new[] { a, b })
            {
                Assert.True(pages.Count > 4, $"only {pages.Count} pages");
                Assert.Equal(0x02, pages[0].Flags & 0x02);
                Assert.StartsWith("OpusHead", System.Text.Encoding.ASCII.GetString(pages[0].Body));
                Assert.StartsWith("OpusTags", System.Text.Encoding.ASCII.GetString(pages[1].Body));
                Assert.Equal(0, pages[0].Granule);
                for (int i = 0; i < pages.Count; i++)
                {
                    Assert.Equal((uint)i, pages[i].Sequence);
                    Assert.Equal(pages[0].Serial, pages[i].Serial);
                }

                for (int i = 3; i < pages.Count; i++)
                {
                    Assert.True(pages[i].Granule > pages[i - 1].Granule, $"granule not increasing at page {i}");
                }

                // 20 ms packets: 960 samples at 48 kHz each, counted from this listener's start.
                Assert.Equal(0, pages[2].Granule % 960);
            }

            Assert.NotEqual(a[0].Serial, b[0].Serial);
        }
    }

    [Fact]
    public async Task Two_hundred_http_listeners_from_one_process_all_receive_valid_pages()
    {
        var (server, _, httpPort) = await WebServerProcess.StartAsync("tone");
        await using (server)
        {
            var (code, stdout, stderr) = await CliProcess.RunAsync(
                ["bench", "listeners", $"http://127.0.0.1:{httpPort}/stream.opus", "--count", "200", "--seconds", "3", "--json", "--server-pid", server.Id.ToString(CultureInfo.InvariantCulture)],
                TimeSpan.FromSeconds(240));

            Assert.True(code == 0, $"exit {code}\n{stderr}");
            using var json = JsonDocument.Parse(stdout);
            var r = json.RootElement;
            Assert.Equal(200, r.GetProperty("connected").GetInt32());
            Assert.Equal(0, r.GetProperty("refused").GetInt32());
            Assert.Equal(0, r.GetProperty("failed").GetInt32());
            // Page sequence gaps would be skipped pages; every listener's sequence is continuous.
            Assert.Equal(0, r.GetProperty("skipped").GetInt64());
            Assert.True(r.GetProperty("frames").GetInt64() >= 200, "fewer pages than listeners in the window");
        }
    }

    [Fact]
    public async Task Unknown_paths_are_404_and_the_page_and_status_are_served()
    {
        var (server, _, httpPort) = await WebServerProcess.StartAsync("tone");
        await using (server)
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(30) };
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("nothing-here")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("a/b/c")).StatusCode);
            var page = await http.GetAsync("");
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("protocol-listeners", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("text/javascript", (await http.GetAsync("app.js")).Content.Headers.ContentType?.MediaType);
            using var status = await WebServerProcess.StatusAsync(httpPort);
            Assert.Equal("pcm", status.RootElement.GetProperty("stream").GetProperty("codec").GetString());
            Assert.Equal(48000, status.RootElement.GetProperty("stream").GetProperty("sampleRate").GetInt32());
        }
    }
}

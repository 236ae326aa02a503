using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Streamer.Media.Containers.Ogg;
using Streamer.Tests.Support;

namespace Streamer.Tests.Web;

/// <summary>A real <c>streamer serve … --http-port 0</c> on loopback: its audio port, its HTTP port, and helpers to read its HTTP side.</summary>
internal static partial class WebServerProcess
{
    public static Task<(CliProcess Server, int AudioPort, int HttpPort)> StartAsync(params string[] args) => StartAsync(null, args);

    /// <summary>As <see cref="StartAsync(string[])"/>, with these environment variables (XDG_CONFIG_HOME for --tls, say).</summary>
    public static async Task<(CliProcess Server, int AudioPort, int HttpPort)> StartAsync(IDictionary<string, string?>? environment, params string[] args)
    {
        var server = CliProcess.Start(["serve", .. args, "--host", "127.0.0.1", "--port", "0", "--http-port", "0"], environment: environment);
        try
        {
            string audio = await server.WaitForLineAsync(l => l.StartsWith("Serving on port ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            string web = await server.WaitForLineAsync(l => l.StartsWith("Web page on ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            return (server, Number(AudioPattern(), audio), Number(WebPattern(), web));
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"server did not start.\nstdout:\n{server.Stdout}\nstderr:\n{server.Stderr}");
        }
    }

    /// <summary>The first <paramref name="bytes"/> bytes of /stream.opus (a listener that then hangs up).</summary>
    public static async Task<byte[]> ReadStreamAsync(int httpPort, int bytes)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.GetAsync($"http://127.0.0.1:{httpPort}/stream.opus", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("audio/ogg", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync();
        var data = new byte[bytes];
        await body.ReadExactlyAsync(data).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        return data;
    }

    public static async Task<JsonDocument> StatusAsync(int httpPort, string? token = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{httpPort}/status.json");
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The chat room's port, from the "Chat room on port N" line of a server started with <c>--chat-port 0</c>.</summary>
    public static int ChatPort(CliProcess server) => Number(ChatPattern(), server.Stdout);

    /// <summary>The whole pages in <paramref name="data"/>, each checked: capture pattern, version, CRC (Ogg's own, recomputed).</summary>
    public static List<(uint Serial, uint Sequence, long Granule, byte Flags, byte[] Body)> Pages(byte[] data)
    {
        var pages = new List<(uint, uint, long, byte, byte[])>();
        int at = 0;
        while (at + 27 <= data.Length)
        {
            Assert.True(data.AsSpan(at, 4).SequenceEqual("OggS"u8), $"no Ogg page at byte {at}");
            int segments = data[at + 26];
            if (at + 27 + segments > data.Length)
            {
                break;
            }

            int body = 0;
            for (int i = 0; i < segments; i++)
            {
                body += data[at + 27 + i];
            }

            int length = 27 + segments + body;
            if (at + length > data.Length)
            {
                break;
            }

            var page = data.AsSpan(at, length).ToArray();
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(22));
            page.AsSpan(22, 4).Clear();
            Assert.Equal(crc, OggCrc.Compute(page));
            pages.Add((
                BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + 14)),
                BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at + 18)),
                BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(at + 6)),
                data[at + 5],
                data.AsSpan(at + 27 + segments, body).ToArray()));
            at += length;
        }

        return pages;
    }

    private static int Number(Regex pattern, string line) => int.Parse(pattern.Match(line).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Chat room on port (\d+)")]
    private static partial Regex ChatPattern();

    [GeneratedRegex(@"Serving on port (\d+)")]
    private static partial Regex AudioPattern();

    [GeneratedRegex(@"Web page on https?://[^:]+:(\d+)/")]
    private static partial Regex WebPattern();
}

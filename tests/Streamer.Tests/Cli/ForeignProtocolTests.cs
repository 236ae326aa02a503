using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// An HTTP request or a TLS ClientHello at the audio port is named as what it is (and HTTP is answered in HTTP);
/// a client whose "server" answers in HTTP or TLS says so. Real curl and openssl: missing, the test fails.
/// </summary>
public class ForeignProtocolTests
{
    private static async Task<(CliProcess Server, int Port)> StartServerAsync(TempDirectory dir)
    {
        var format = new AudioFormat(8000, 1, SampleEncoding.Int16);
        File.WriteAllBytes(dir.File("in.wav"), WavFixture.Build(format, WavFixture.Samples(format, 8000)));
        return await ServerProcess.StartAsync(dir.File("in.wav"));
    }

    [Fact]
    public async Task Curl_gets_a_plain_text_400_and_the_log_says_http()
    {
        Assert.True(ExternalTool.Exists("curl"), "curl is not installed (Debian package curl)");
        using var dir = new TempDirectory();
        var (server, port) = await StartServerAsync(dir);
        await using (server)
        {
            var (code, stdout, stderr) = ExternalTool.Run("curl", "-sS", "-i", "--max-time", "20", $"http://127.0.0.1:{port}/");

            Assert.True(code == 0, $"curl exit {code}: {stderr}");
            Assert.StartsWith("HTTP/1.1 400", stdout, StringComparison.Ordinal);
            Assert.Contains("This is a Streamer audio port", stdout, StringComparison.Ordinal);
            Assert.Contains("streamer play", stdout, StringComparison.Ordinal);
            await server.WaitForLineAsync(l => l.Contains("sent an HTTP request", StringComparison.Ordinal));
            Assert.DoesNotContain("announced a frame of", server.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Curl_at_the_chat_port_gets_a_400_too()
    {
        Assert.True(ExternalTool.Exists("curl"), "curl is not installed (Debian package curl)");
        await using var chat = CliProcess.Start(["chat", "serve", "--host", "127.0.0.1", "--port", "0"]);
        string line = await chat.WaitForLineAsync(l => l.StartsWith("Chat room on port ", StringComparison.Ordinal));
        int port = int.Parse(System.Text.RegularExpressions.Regex.Match(line, @"port (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        var (code, stdout, stderr) = ExternalTool.Run("curl", "-sS", "-i", "--max-time", "20", $"http://127.0.0.1:{port}/");

        Assert.True(code == 0, $"curl exit {code}: {stderr}");
        Assert.StartsWith("HTTP/1.1 400", stdout, StringComparison.Ordinal);
        Assert.Contains("This is a Streamer chat port", stdout, StringComparison.Ordinal);
        await chat.WaitForLineAsync(l => l.Contains("sent an HTTP request", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_openssl_client_hello_is_logged_as_tls()
    {
        Assert.True(ExternalTool.Exists("openssl"), "openssl is not installed (Debian package openssl)");
        using var dir = new TempDirectory();
        var (server, port) = await StartServerAsync(dir);
        await using (server)
        {
            ExternalTool.Run("bash", "-c", $"timeout 20 openssl s_client -connect 127.0.0.1:{port} </dev/null");

            await server.WaitForLineAsync(l => l.Contains("spoke TLS", StringComparison.Ordinal));
            Assert.DoesNotContain("announced a frame of", server.Stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", "answered in HTTP")]
    [InlineData("\u0015\u0003\u0003\u0000\u0002\u0002\u0046", "spoke TLS")]
    public async Task Play_against_a_web_or_tls_server_says_so_in_one_line(string reply, string expected)
    {
        using var dir = new TempDirectory();
        await using var fake = new ScriptedServer(System.Text.Encoding.Latin1.GetBytes(reply), closeAfterReply: true);
        var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{fake.Port}", "--output", dir.File("out.wav"), "-q"]);

        Assert.Equal(1, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}

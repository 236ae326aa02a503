using System.Globalization;
using System.Text.Json;
using Streamer.Tests.Cli.Security;
using Streamer.Tests.Support;

namespace Streamer.Tests.Web;

/// <summary>
/// The web port of a real <c>streamer serve … --http-port 0</c> with <c>--token-file</c> and <c>--tls</c>, asked by
/// real clients: curl (a bearer header, a query parameter, no token, a wrong one, one without the listen role),
/// ffprobe over HTTPS with the token in the URL, and <c>streamer play https://… --tls-fingerprint</c> with the token
/// from <c>STREAMER_TOKEN</c> (sent as a bearer header). The server's output never shows a token.
/// </summary>
public sealed partial class WebSecurityTests
{
    private const string ListenToken = "listen-0123456789abcdef0123456789";
    private const string ChatToken = "chat-fedcba9876543210fedcba98765";
    private const string WrongToken = "wrong-00000000000000000000000000";

    [Fact]
    public async Task Tokens_guard_the_page_the_status_the_events_and_the_stream_but_not_the_static_files()
    {
        using var dir = new TempDirectory();
        var (server, _, port) = await WebServerProcess.StartAsync(SecuredServer.Environment(dir.File("config")), "tone", "--token-file", WriteTokens(dir), "-v");
        await using (server)
        {
            string root = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
            Assert.Contains($"Web page on {root}/?token=TOKEN", server.Stdout, StringComparison.Ordinal);
            foreach (string path in new[] { "/", "/status.json", "/events", "/stream.opus", "/no-such-thing" })
            {
                var (missing, missingBody, missingHeaders) = Curl(root + path);
                Assert.Equal(401, missing);
                Assert.Equal("this server needs a token: send 'Authorization: Bearer TOKEN' or add ?token=TOKEN to the URL\n", missingBody);
                Assert.Contains("www-authenticate: Bearer realm=\"streamer\"", missingHeaders, StringComparison.OrdinalIgnoreCase);

                var (wrong, wrongBody, _) = Curl(root + path, "-H", "Authorization: Bearer " + WrongToken);
                Assert.Equal(401, wrong);
                Assert.Equal("the token was not accepted\n", wrongBody);

                var (role, roleBody, _) = Curl(root + path + "?token=" + ChatToken);
                Assert.Equal(403, role);
                Assert.Equal("the token does not allow listening (it needs the listen role)\n", roleBody);
            }

            // The page's own files carry no data: a browser loads them without the token.
            Assert.Equal(200, Curl(root + "/app.js").Status);
            Assert.Equal(200, Curl(root + "/style.css").Status);

            var (bearer, statusBody, _) = Curl(root + "/status.json", "-H", "Authorization: Bearer " + ListenToken);
            Assert.Equal(200, bearer);
            using (var status = JsonDocument.Parse(statusBody))
            {
                Assert.Equal("pcm", status.RootElement.GetProperty("stream").GetProperty("codec").GetString());
            }

            var (query, page, pageHeaders) = Curl(root + "/?token=" + ListenToken);
            Assert.Equal(200, query);
            Assert.Contains("protocol-listeners", page, StringComparison.Ordinal);
            Assert.Contains("referrer-policy: no-referrer", pageHeaders, StringComparison.OrdinalIgnoreCase);

            var (events, eventBody, _) = Curl(root + "/events?token=" + ListenToken, "--max-time", "2");
            Assert.Equal(200, events);
            Assert.StartsWith("data: {", eventBody, StringComparison.Ordinal);

            string file = dir.File("live.opus");
            var (stream, _, streamHeaders) = Curl(root + "/stream.opus", "-H", "Authorization: Bearer " + ListenToken, "--max-time", "3", "-o", file);
            Assert.Equal(200, stream);
            Assert.Contains("content-type: audio/ogg", streamHeaders, StringComparison.OrdinalIgnoreCase);
            var pages = WebServerProcess.Pages(await File.ReadAllBytesAsync(file));
            Assert.True(pages.Count > 4, $"only {pages.Count} pages");
            Assert.StartsWith("OpusHead", System.Text.Encoding.ASCII.GetString(pages[0].Body), StringComparison.Ordinal);

            await server.WaitForLineAsync(l => l.Contains("refused (401)", StringComparison.Ordinal));
            AssertNoToken(server);
        }
    }

    [Fact]
    public async Task Under_tls_the_web_port_speaks_https_with_the_same_certificate_for_curl_ffprobe_and_play()
    {
        using var dir = new TempDirectory();
        string config = dir.File("config");
        var (server, _, port) = await WebServerProcess.StartAsync(SecuredServer.Environment(config), "tone", "--tls", "--token-file", WriteTokens(dir), "-v");
        await using (server)
        {
            string root = $"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
            Assert.Contains($"Web page on {root}/?token=TOKEN", server.Stdout, StringComparison.Ordinal);
            // The certificate --tls made for the audio port, which curl and play are told to trust.
            string certificate = Path.Combine(config, "streamer", "tls", "server-cert.pem");

            var (ok, body, _) = Curl(root + "/status.json", "--cacert", certificate, "-H", "Authorization: Bearer " + ListenToken);
            Assert.Equal(200, ok);
            using (var status = JsonDocument.Parse(body))
            {
                Assert.Equal("live", status.RootElement.GetProperty("stream").GetProperty("state").GetString());
            }

            Assert.Equal(401, Curl(root + "/status.json", "--cacert", certificate).Status);
            // Plain HTTP to the HTTPS port gets no page (Kestrel answers a clear-text request with 400 at most).
            var (plain, _, _) = Curl(root.Replace("https://", "http://", StringComparison.Ordinal) + "/status.json?token=" + ListenToken);
            Assert.NotEqual(200, plain);

            // ffprobe (no certificate check by default) with the token as a query parameter, as a player is given it.
            var (probe, probeOut, probeErr) = ExternalTool.Run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "default=noprint_wrappers=1", root + "/stream.opus?token=" + ListenToken);
            Assert.True(probe == 0, $"ffprobe failed: {probeErr}");
            Assert.Contains("codec_name=opus", probeOut, StringComparison.Ordinal);
            Assert.Contains("sample_rate=48000", probeOut, StringComparison.Ordinal);

            // play https:// pins the fingerprint the server printed, as for the audio port; the token goes as a bearer header.
            string fingerprint = FingerprintPattern().Match(server.Stdout).Groups[1].Value;
            Assert.Equal(95, fingerprint.Length);
            string stream = root + "/stream.opus";
            var (played, playOut, playErr) = await CliProcess.RunAsync(["play", stream, "--tls-fingerprint", fingerprint, "--output", dir.File("out.wav"), "--duration", "2s", "-q"], TimeSpan.FromSeconds(60), environment: SecuredServer.Environment(config, ListenToken));
            Assert.True(played == 0, $"exit {played}\n{playOut}\n{playErr}");
            Assert.True(new FileInfo(dir.File("out.wav")).Length > 48000 * 2 * 2, "play wrote less than a second of audio");

            var (refused, _, refusedErr) = await CliProcess.RunAsync(["play", stream, "--tls-fingerprint", fingerprint, "--output", dir.File("none.wav"), "-q"], TimeSpan.FromSeconds(60), environment: SecuredServer.Environment(config));
            Assert.Equal(1, refused);
            Assert.Contains("HTTP 401 Unauthorized: this server needs a token", refusedErr, StringComparison.Ordinal);
            Assert.Single(refusedErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));

            string wrongPin = string.Join(':', Enumerable.Repeat("00", 32));
            var (mismatch, _, mismatchErr) = await CliProcess.RunAsync(["play", stream, "--tls-fingerprint", wrongPin, "--output", dir.File("none.wav"), "-q"], TimeSpan.FromSeconds(60), environment: SecuredServer.Environment(config, ListenToken));
            Assert.Equal(1, mismatch);
            Assert.Contains("TLS: the server's certificate has the SHA-256 fingerprint " + fingerprint, mismatchErr, StringComparison.Ordinal);

            var (untrusted, _, untrustedErr) = await CliProcess.RunAsync(["play", stream, "--output", dir.File("none.wav"), "-q"], TimeSpan.FromSeconds(60), environment: SecuredServer.Environment(config, ListenToken));
            Assert.Equal(1, untrusted);
            Assert.Contains("TLS handshake failed", untrustedErr, StringComparison.Ordinal);

            var (plainUrl, _, plainUrlErr) = await CliProcess.RunAsync(["play", stream.Replace("https://", "http://", StringComparison.Ordinal), "--tls-fingerprint", fingerprint, "--output", dir.File("none.wav"), "-q"], TimeSpan.FromSeconds(30));
            Assert.Equal(2, plainUrl);
            Assert.Contains("--tls options need an https:// URL", plainUrlErr, StringComparison.Ordinal);

            AssertNoToken(server);
        }
    }

    private static void AssertNoToken(CliProcess server)
    {
        string log = server.Stdout + server.Stderr;
        foreach (string token in new[] { ListenToken, ChatToken, WrongToken })
        {
            Assert.DoesNotContain(token, log, StringComparison.Ordinal);
        }
    }

    /// <summary>curl's status, body and response headers (compared ignoring case).</summary>
    private static (int Status, string Body, string Headers) Curl(string url, params string[] args)
    {
        using var dir = new TempDirectory();
        string headers = dir.File("headers");
        string body = dir.File("body");
        string[] output = args.Contains("-o") ? [] : ["-o", body];
        var (_, stdout, stderr) = ExternalTool.Run("curl", ["-s", "-D", headers, .. output, "-w", "%{http_code}", .. args, url]);
        Assert.True(int.TryParse(stdout.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int status), $"curl printed '{stdout}' ({stderr})");
        return (status, File.Exists(body) ? File.ReadAllText(body) : string.Empty, File.Exists(headers) ? File.ReadAllText(headers) : string.Empty);
    }

    [System.Text.RegularExpressions.GeneratedRegex("SHA-256 fingerprint ([0-9A-F:]{95})")]
    private static partial System.Text.RegularExpressions.Regex FingerprintPattern();

    private static string WriteTokens(TempDirectory dir)
    {
        string path = dir.File("tokens");
        File.WriteAllText(path, $"{ListenToken} listen\n{ChatToken} chat\n");
        return path;
    }
}

using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli.Security;

/// <summary>serve/play over TLS through the real binary: bit-exact audio, pinning, plain/TLS mix-ups in one line, and openssl's view of the port.</summary>
public sealed class TlsCliTests
{
    private static readonly AudioFormat Format = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public async Task A_tls_stream_is_bit_exact_and_the_self_signed_certificate_is_made_once_and_reused()
    {
        using var dir = new TempDirectory();
        byte[] samples = WavFixture.Samples(Format, 48000 + 123);
        File.WriteAllBytes(dir.File("in.wav"), WavFixture.Build(Format, samples));
        string config = dir.File("config");
        string certificate = Path.Combine(config, "streamer", "tls", "server-cert.pem");

        string fingerprint;
        await using (var server = await SecuredServer.ServeAsync(config, dir.File("in.wav"), "--pace", "asap", "--tls"))
        {
            Assert.Contains("(created)", server.Process.Stdout, StringComparison.Ordinal);
            fingerprint = server.Fingerprint!;
            var (code, _, stderr) = await CliProcess.RunAsync(["play", server.Address, "--tls-fingerprint", fingerprint, "--output", dir.File("out.wav"), "-q"]);
            Assert.True(code == 0, $"play over TLS failed ({code}): {stderr}");
            Assert.Equal(samples, WavFixture.DataOf(File.ReadAllBytes(dir.File("out.wav"))));
        }

        // The key is the user's alone; the next start reuses the pair, so pinned clients keep working.
        string keyFile = Path.Combine(config, "streamer", "tls", "server-key.pem");
        Assert.True(OperatingSystem.IsLinux() && File.GetUnixFileMode(keyFile) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), "the key must be readable by its owner only");
        string pem = File.ReadAllText(certificate);
        await using (var again = await SecuredServer.ServeAsync(config, dir.File("in.wav"), "--tls"))
        {
            Assert.Contains("(reused)", again.Process.Stdout, StringComparison.Ordinal);
            Assert.Equal(fingerprint, again.Fingerprint);
        }

        Assert.Equal(pem, File.ReadAllText(certificate));
    }

    [Fact]
    public async Task Pinning_refuses_another_certificate_in_one_line()
    {
        using var dir = new TempDirectory();
        WavFixture.Write(dir.File("in.wav"), Format, 4800);
        await using var server = await SecuredServer.ServeAsync(dir.File("config"), dir.File("in.wav"), "--tls");
        string wrong = string.Join(':', Enumerable.Repeat("AB", 32));
        var (code, _, stderr) = await CliProcess.RunAsync(["play", server.Address, "--tls-fingerprint", wrong, "--output", dir.File("out.wav"), "-q"]);
        Assert.Equal(1, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"streamer: error: TLS: the server's certificate has the SHA-256 fingerprint {server.Fingerprint}, not the pinned {wrong}", line);
        Assert.False(File.Exists(dir.File("out.wav")) && new FileInfo(dir.File("out.wav")).Length > 44);
    }

    [Fact]
    public async Task A_plain_client_of_a_tls_server_is_told_to_use_tls()
    {
        using var dir = new TempDirectory();
        WavFixture.Write(dir.File("in.wav"), Format, 4800);
        await using var server = await SecuredServer.ServeAsync(dir.File("config"), dir.File("in.wav"), "--tls");
        var (code, _, stderr) = await CliProcess.RunAsync(["play", server.Address, "--output", "null", "-q"], TimeSpan.FromSeconds(30));
        Assert.Equal(1, code);
        Assert.Equal("streamer: error: the server said: this server accepts only TLS connections: connect with --tls (or --tls-fingerprint, --tls-ca)", stderr.Trim());

        // The chat room and the probe say the same.
        await using var chat = await SecuredServer.ChatAsync(dir.File("config"), "--tls");
        var (chatCode, _, chatError) = await CliProcess.RunAsync(["chat", "connect", chat.Address, "--name", "ann"], TimeSpan.FromSeconds(30));
        Assert.Equal(1, chatCode);
        Assert.Contains("accepts only TLS connections", chatError, StringComparison.Ordinal);
        var (probeCode, probeOut, _) = await CliProcess.RunAsync(["probe", chat.Address, "--retry", "1"], TimeSpan.FromSeconds(30));
        Assert.Equal(1, probeCode);
        Assert.Contains("accepts only TLS connections", probeOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tls_client_of_a_plain_server_is_told_it_is_plain()
    {
        using var dir = new TempDirectory();
        WavFixture.Write(dir.File("in.wav"), Format, 4800);
        await using var server = await SecuredServer.ServeAsync(dir.File("config"), dir.File("in.wav"));
        var (code, _, stderr) = await CliProcess.RunAsync(["play", server.Address, "--tls-insecure", "--output", "null", "-q"], TimeSpan.FromSeconds(30));
        Assert.Equal(1, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("streamer: warning: --tls-insecure:", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("streamer: error: TLS: 127.0.0.1 closed the connection during the TLS handshake: it is probably a plain Streamer server", lines[1], StringComparison.Ordinal);
        // The server logs the mix-up as what it is.
        await server.Process.WaitForLineAsync(l => l.Contains("spoke TLS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Openssl_sees_tls_13_with_our_certificate_and_tls_12_is_refused_by_default()
    {
        Assert.True(ExternalTool.Exists("openssl"), "openssl is missing (tools/test.sh installs it)");
        using var dir = new TempDirectory();
        WavFixture.Write(dir.File("in.wav"), Format, 4800);
        await using var server = await SecuredServer.ServeAsync(dir.File("config"), dir.File("in.wav"), "--tls");

        var (_, session, _) = OpenSsl(dir, "s_client", "-connect", server.Address, "-tls1_3", "-showcerts");
        Assert.Contains("TLSv1.3", session, StringComparison.Ordinal);
        int begin = session.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal);
        int end = session.IndexOf("-----END CERTIFICATE-----", StringComparison.Ordinal) + "-----END CERTIFICATE-----".Length;
        File.WriteAllText(dir.File("seen.pem"), session[begin..end] + "\n");
        var (code, fingerprint, error) = ExternalTool.Run("openssl", "x509", "-in", dir.File("seen.pem"), "-noout", "-fingerprint", "-sha256");
        Assert.True(code == 0, error);
        Assert.Equal("sha256 Fingerprint=" + server.Fingerprint, fingerprint.Trim(), ignoreCase: true);

        var (_, old, oldError) = OpenSsl(dir, "s_client", "-connect", server.Address, "-tls1_2");
        Assert.DoesNotContain("TLSv1.2, Cipher is", old + oldError, StringComparison.Ordinal);
        Assert.Contains("alert protocol version", oldError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_min_12_admits_a_tls_12_client()
    {
        Assert.True(ExternalTool.Exists("openssl"), "openssl is missing (tools/test.sh installs it)");
        using var dir = new TempDirectory();
        WavFixture.Write(dir.File("in.wav"), Format, 4800);
        await using var server = await SecuredServer.ServeAsync(dir.File("config"), dir.File("in.wav"), "--tls", "--tls-min", "1.2");
        var (_, session, _) = OpenSsl(dir, "s_client", "-connect", server.Address, "-tls1_2");
        Assert.Contains("TLSv1.2", session, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tls-handshake-timeout needs TLS", "--tls-handshake-timeout", "5s")]
    [InlineData("--tls-handshake-timeout", "--tls", "--tls-handshake-timeout", "soon")]
    public async Task A_tls_handshake_timeout_without_tls_or_unreadable_is_one_line_and_exit_2(string expected, params string[] options)
    {
        using var dir = new TempDirectory();
        WavFixture.Write(dir.File("in.wav"), Format, 4800);
        var (code, _, stderr) = await CliProcess.RunAsync(["serve", dir.File("in.wav"), "--port", "0", .. options], environment: new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = dir.File("config") });
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>openssl with stdin closed (s_client then hangs up after the handshake).</summary>
    private static (int ExitCode, string Stdout, string Stderr) OpenSsl(TempDirectory dir, params string[] args)
    {
        File.WriteAllText(dir.File("empty"), string.Empty);
        return ExternalTool.Run("sh", ["-c", "openssl \"$@\" < " + dir.File("empty"), "openssl", .. args]);
    }
}

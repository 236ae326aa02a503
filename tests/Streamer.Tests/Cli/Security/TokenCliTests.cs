using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli.Security;

/// <summary>--token-file through the real binary: audio, chat and probe refuse a missing or wrong token in one line (exit 1), admit the right one, and never log it.</summary>
public sealed class TokenCliTests
{
    private const string ListenToken = "listen-0123456789abcdef0123456789";
    private const string ChatToken = "chat-fedcba9876543210fedcba98765";
    private const string WrongToken = "wrong-00000000000000000000000000";
    private static readonly AudioFormat Format = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public async Task Audio_refuses_a_missing_or_wrong_token_and_plays_with_the_right_one()
    {
        using var dir = new TempDirectory();
        byte[] samples = WavFixture.Samples(Format, 9600);
        File.WriteAllBytes(dir.File("in.wav"), WavFixture.Build(Format, samples));
        string tokens = WriteTokens(dir);
        await using var server = await SecuredServer.ServeAsync(dir.File("config"), dir.File("in.wav"), "--pace", "asap", "--token-file", tokens, "-v");

        var (missing, _, missingError) = await PlayAsync(dir, server, token: null);
        Assert.Equal(1, missing);
        Assert.Equal("streamer: error: the server said: this server needs a token: set STREAMER_TOKEN or pass --token-file", missingError.Trim());

        var (wrong, _, wrongError) = await PlayAsync(dir, server, WrongToken);
        Assert.Equal(1, wrong);
        Assert.Equal("streamer: error: the server said: the token was not accepted", wrongError.Trim());

        var (role, _, roleError) = await PlayAsync(dir, server, ChatToken);
        Assert.Equal(1, role);
        Assert.Equal("streamer: error: the server said: the token does not allow role 'play'", roleError.Trim());

        // From the environment, and from a file of the same format.
        var (ok, _, okError) = await PlayAsync(dir, server, ListenToken);
        Assert.True(ok == 0, okError);
        Assert.Equal(samples, WavFixture.DataOf(File.ReadAllBytes(dir.File("out.wav"))));
        File.WriteAllText(dir.File("mine"), "# my token\n" + ListenToken + " listen\n");
        var (fromFile, _, fileError) = await CliProcess.RunAsync(["play", server.Address, "--token-file", dir.File("mine"), "--output", dir.File("out2.wav"), "-q"], environment: SecuredServer.Environment(dir.File("config")));
        Assert.True(fromFile == 0, fileError);

        // Refused in place of the hello (no slot taken), with the reason but never a token in the log.
        await server.Process.WaitForLineAsync(l => l.Contains("the token was not accepted", StringComparison.Ordinal));
        string log = server.Process.Stdout + server.Process.Stderr;
        foreach (string token in new[] { ListenToken, ChatToken, WrongToken })
        {
            Assert.DoesNotContain(token, log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Chat_and_probe_refuse_a_missing_or_wrong_token()
    {
        using var dir = new TempDirectory();
        string tokens = WriteTokens(dir);
        await using var chat = await SecuredServer.ChatAsync(dir.File("config"), "--token-file", tokens);

        var (missing, _, missingError) = await CliProcess.RunAsync(["chat", "connect", chat.Address, "--name", "ann"], TimeSpan.FromSeconds(30), environment: SecuredServer.Environment(dir.File("config")));
        Assert.Equal(1, missing);
        Assert.Equal("streamer: error: the server said: this server needs a token: set STREAMER_TOKEN or pass --token-file", missingError.Trim());

        var (role, _, roleError) = await CliProcess.RunAsync(["chat", "connect", chat.Address, "--name", "ann"], TimeSpan.FromSeconds(30), environment: SecuredServer.Environment(dir.File("config"), ListenToken));
        Assert.Equal(1, role);
        Assert.Equal("streamer: error: the server said: the token does not allow role 'chat'", roleError.Trim());

        await using (var member = CliProcess.Start(["chat", "connect", chat.Address, "--name", "ann"], environment: SecuredServer.Environment(dir.File("config"), ChatToken), redirectStdin: true))
        {
            await member.WaitForLineAsync(l => l.Contains("ann", StringComparison.Ordinal) && l.Contains("joined", StringComparison.Ordinal));
            await member.Stdin.WriteLineAsync("/quit");
            await member.Stdin.FlushAsync();
            Assert.Equal(0, await member.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        var (probeMissing, probeOut, _) = await CliProcess.RunAsync(["probe", chat.Address, "--retry", "1"], TimeSpan.FromSeconds(30), environment: SecuredServer.Environment(dir.File("config")));
        Assert.Equal(1, probeMissing);
        Assert.Contains("refused our hello", probeOut, StringComparison.Ordinal);
        Assert.Contains("needs a token", probeOut, StringComparison.Ordinal);

        var (probeWrong, wrongOut, _) = await CliProcess.RunAsync(["probe", chat.Address, "--retry", "1"], TimeSpan.FromSeconds(30), environment: SecuredServer.Environment(dir.File("config"), WrongToken));
        Assert.Equal(1, probeWrong);
        Assert.Contains("the token was not accepted", wrongOut, StringComparison.Ordinal);

        // Any role may probe.
        var (probeOk, okOut, _) = await CliProcess.RunAsync(["probe", chat.Address, "--retry", "1", "-n", "2"], TimeSpan.FromSeconds(30), environment: SecuredServer.Environment(dir.File("config"), ListenToken));
        Assert.True(probeOk == 0, okOut);
        Assert.Contains("2/2 pongs", okOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_and_tls_together_over_the_audio_port()
    {
        using var dir = new TempDirectory();
        byte[] samples = WavFixture.Samples(Format, 4800);
        File.WriteAllBytes(dir.File("in.wav"), WavFixture.Build(Format, samples));
        await using var server = await SecuredServer.ServeAsync(dir.File("config"), dir.File("in.wav"), "--tls", "--token-file", WriteTokens(dir));
        var (code, _, stderr) = await CliProcess.RunAsync(["play", server.Address, "--tls-fingerprint", server.Fingerprint!, "--output", dir.File("out.wav"), "-q"], environment: SecuredServer.Environment(dir.File("config"), ListenToken));
        Assert.True(code == 0, stderr);
        Assert.Equal(samples, WavFixture.DataOf(File.ReadAllBytes(dir.File("out.wav"))));

        var (probe, probeOut, _) = await CliProcess.RunAsync(["probe", server.Address, "--tls-fingerprint", server.Fingerprint!, "--retry", "1", "-n", "1"], TimeSpan.FromSeconds(30), environment: SecuredServer.Environment(dir.File("config")));
        Assert.Equal(1, probe);
        Assert.Contains("needs a token", probeOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short admin\n", "a token has at least 16 characters")]
    [InlineData("0123456789abcdef0123 root\n", "'root' is not a role")]
    [InlineData("# nothing\n\n", "no tokens in the file")]
    public async Task A_bad_token_file_is_bad_input_naming_the_line_but_not_the_token(string content, string problem)
    {
        using var dir = new TempDirectory();
        WavFixture.Write(dir.File("in.wav"), Format, 480);
        File.WriteAllText(dir.File("tokens"), content);
        var (code, _, stderr) = await CliProcess.RunAsync(["serve", dir.File("in.wav"), "--port", "0", "--token-file", dir.File("tokens")], TimeSpan.FromSeconds(30));
        Assert.Equal(2, code);
        Assert.Contains(problem, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef0123", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string WriteTokens(TempDirectory dir)
    {
        string path = dir.File("tokens");
        File.WriteAllText(path, $"# token [roles]\n{ListenToken} listen\n\n{ChatToken} chat\n");
        return path;
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> PlayAsync(TempDirectory dir, SecuredServer server, string? token)
        => CliProcess.RunAsync(["play", server.Address, "--output", dir.File("out.wav"), "-q"], TimeSpan.FromSeconds(30), environment: SecuredServer.Environment(dir.File("config"), token));
}

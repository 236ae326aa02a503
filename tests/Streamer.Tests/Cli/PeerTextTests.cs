using System.Buffers;
using Streamer.Protocol;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// Strings a peer sends (hello role and agent, error messages, codec and format names) reach terminals and logs
/// neutralized: no escape sequence, BEL, NUL or CR/LF gets through, so nothing drives the terminal or forges a line.
/// </summary>
public class PeerTextTests
{
    /// <summary>An OSC window title, clear screen, BEL, NUL, and a CR/LF that starts a forged line.</summary>
    private const string Evil = "\u001B]0;pwned\u0007\u001B[2J\u0007\0x\r\nforged: all is well\u009B31m\u202Eevil";

    private static readonly char[] Controls = ['\u001B', '\u0007', '\0', '\r', '\u009B', '\u202E'];

    private static void AssertNeutral(string output, int maxLines)
    {
        foreach (char c in Controls)
        {
            Assert.False(output.Contains(c, StringComparison.Ordinal), $"U+{(int)c:X4} reached the output:\n{output}");
        }

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(lines, l => l.StartsWith("forged", StringComparison.Ordinal));
        Assert.True(lines.Length <= maxLines, $"{lines.Length} lines:\n{output}");
    }

    private static byte[] ServerHello(string role = "server") => RawPeer.Frame(new HelloMessage(ProtocolVersion.Current, role, "fake", ["pcm"]));

    [Fact]
    public async Task A_clients_role_and_agent_reach_the_server_log_neutralized()
    {
        using var dir = new TempDirectory();
        var format = new Streamer.Media.AudioFormat(8000, 1, Streamer.Media.SampleEncoding.Int16);
        File.WriteAllBytes(dir.File("in.wav"), WavFixture.Build(format, WavFixture.Samples(format, 800)));
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"), "--pace", "asap");
        await using (server)
        {
            using (var peer = await RawPeer.ConnectAsync(port))
            {
                await peer.SendAsync(RawPeer.Frame(new HelloMessage(ProtocolVersion.Current, "probe" + Evil, "agent" + Evil, [])));
                await peer.ReadToEndAsync(TimeSpan.FromSeconds(2));
            }

            string line = await server.WaitForLineAsync(l => l.Contains("connected (probe", StringComparison.Ordinal));
            AssertNeutral(server.Stdout + server.Stderr, maxLines: 100);
            // The forged "line" stayed on the real one, behind a visible replacement character.
            Assert.Contains("\uFFFDforged: all is well", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_servers_error_message_reaches_plays_stderr_as_one_neutral_line()
    {
        using var dir = new TempDirectory();
        await using var fake = new ScriptedServer(RawPeer.Frame(new ErrorMessage("nope" + Evil, "go away" + Evil)));
        var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{fake.Port}", "--output", dir.File("out.wav"), "-q"]);

        Assert.Equal(1, code);
        Assert.StartsWith("streamer: error: the server said: go away", stderr, StringComparison.Ordinal);
        AssertNeutral(stderr, maxLines: 1);
    }

    [Theory]
    [InlineData("codec")]
    [InlineData("format")]
    public async Task A_servers_codec_or_format_name_reaches_plays_stderr_neutralized(string field)
    {
        using var dir = new TempDirectory();
        var info = new StreamInfoMessage(field == "codec" ? "pcm" + Evil : "pcm", 48000, 2, field == "format" ? "s16le" + Evil : "s16le", 960, 0, -1, new Dictionary<string, string>());
        await using var fake = new ScriptedServer([.. ServerHello(), .. RawPeer.Frame(info)]);
        var (code, _, stderr) = await CliProcess.RunAsync(["play", $"127.0.0.1:{fake.Port}", "--output", dir.File("out.wav"), "-q"]);

        Assert.NotEqual(0, code);
        Assert.StartsWith("streamer: error:", stderr, StringComparison.Ordinal);
        AssertNeutral(stderr, maxLines: 1);
    }

    [Fact]
    public async Task The_probe_table_shows_a_peers_role_and_error_neutralized_in_one_row()
    {
        await using var fake = new ScriptedServer([.. ServerHello("server" + Evil), .. RawPeer.Frame(new ErrorMessage("bad", "no pings" + Evil))]);
        var (_, stdout, stderr) = await CliProcess.RunAsync(["probe", $"127.0.0.1:{fake.Port}", "--retry", "1", "--timeout", "2s", "--count", "1"]);

        AssertNeutral(stdout, maxLines: 2);
        string row = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.Contains("up", row, StringComparison.Ordinal);
        Assert.Contains("server\uFFFD", row, StringComparison.Ordinal);
        Assert.Contains("forged: all is well", row, StringComparison.Ordinal);
        AssertNeutral(stderr, maxLines: 1);
    }

    [Fact]
    public void Peer_text_is_neutral_and_bounded()
    {
        string shown = PeerText.ForDisplay(Evil + new string('a', 1000));
        Assert.DoesNotContain(shown, c => Array.IndexOf(Controls, c) >= 0 || c == '\n');
        Assert.True(shown.Length <= PeerText.MaxLength + 1);
        Assert.Equal("plain text", PeerText.ForDisplay("plain text"));
        Assert.Equal(string.Empty, PeerText.ForDisplay(null));
    }

    [Fact]
    public void An_error_frames_strings_are_neutralized_once_where_they_are_read()
    {
        var frames = RawPeer.Frames(RawPeer.Frame(new ErrorMessage("x" + Evil, "y" + Evil)));
        var error = ErrorMessage.Read(new ReadOnlySequence<byte>(frames[0].Payload));
        var ex = new RemoteErrorException(error.Code, error.Message);

        Assert.DoesNotContain(ex.Message, c => Array.IndexOf(Controls, c) >= 0 || c == '\n');
        Assert.DoesNotContain(ex.Code, c => Array.IndexOf(Controls, c) >= 0 || c == '\n');
    }
}

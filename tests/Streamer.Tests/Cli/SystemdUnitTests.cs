using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// tools/systemd/streamer.service, the unit docs/deployment.md installs: its ExecStart is a valid streamer command
/// line (the real command tree parses it), and it really serves: run with the file and ports swapped for a scratch
/// WAV and free ports, it streams to a player.
/// </summary>
public sealed class SystemdUnitTests
{
    private static string Unit => File.ReadAllText(Path.Combine(DocumentedCommandLines.RepositoryRoot(), "tools", "systemd", "streamer.service"));

    /// <summary>ExecStart's words: systemd splits on whitespace (the unit uses no quotes, no variables, no prefixes).</summary>
    private static string[] ExecStart()
    {
        string line = Assert.Single(Unit.Split('\n'), l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        string command = line["ExecStart=".Length..].Trim();
        Assert.DoesNotContain('"', command);
        Assert.DoesNotContain('$', command);
        return command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void ExecStart_is_a_valid_serve_command_line()
    {
        string[] words = ExecStart();
        Assert.Equal("/usr/local/bin/streamer", words[0]);
        var parse = CliTree.Parse(words[1..]);
        Assert.Empty(parse.Errors);
        Assert.Equal("serve", parse.CommandResult.Command.Name);
        Assert.Contains("[Install]", Unit, StringComparison.Ordinal);
        Assert.Contains("WantedBy=multi-user.target", Unit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecStart_serves_a_player()
    {
        using var dir = new TempDirectory();
        string[] args = ExecStart()[1..];
        string wav = dir.File("live.wav");
        WavFixture.Write(wav, new Streamer.Media.AudioFormat(48000, 2, Streamer.Media.SampleEncoding.Int16), 48000);
        // The unit's own words, with the file and the ports swapped for a scratch WAV and free loopback ports.
        string[] local = [.. Replace(Replace(Replace(args, "/srv/streamer/live.wav", wav), "--port", "0"), "--metrics-port", "0"), "--host", "127.0.0.1"];
        await using var server = CliProcess.Start(local, dir.Path);
        string line = await server.WaitForLineAsync(l => l.StartsWith("Serving on port ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        await server.WaitForLineAsync(l => l.Contains("Metrics at http://", StringComparison.Ordinal));
        string port = line.Split(' ')[3];

        var play = await CliProcess.RunAsync(["play", "127.0.0.1:" + port, "--output", "null", "--duration", "1", "-q"], TimeSpan.FromSeconds(60));

        Assert.True(play.ExitCode == 0, play.Stderr);
    }

    private static string[] Replace(string[] words, string what, string with)
    {
        int at = Array.IndexOf(words, what);
        Assert.True(at >= 0, $"the unit has no {what}");
        string[] copy = [.. words];
        if (what.StartsWith("--", StringComparison.Ordinal))
        {
            copy[at + 1] = with;
        }
        else
        {
            copy[at] = with;
        }

        return copy;
    }
}

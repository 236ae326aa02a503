using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// Every <c>streamer …</c> command line in README.md and docs/*.md is parsed by the real command tree (in process:
/// <see cref="Streamer.Cli.Program.CreateRootCommand"/>, the tree <c>Main</c> builds and parses with, so no hidden
/// parse-only switch is needed in the shipped CLI), and those that can run on loopback in seconds run through the real
/// binary and must exit 0: <c>--help</c>, <c>serve</c> (on a generated WAV, then played to the end), <c>play</c>
/// to a file, null or stdout (against a real server), <c>bench codecs</c> and <c>demo</c>. Parse-only: <c>play</c> to
/// the sound card and <c>devices</c> (no sound card in CI), <c>probe</c> (names public hosts) and <c>chat</c> (needs
/// a room and a typist).
/// </summary>
public partial class DocumentedCommandLineTests
{
    private static readonly AudioFormat Format = new(48000, 2, SampleEncoding.Int16);

    public static TheoryData<string, string, string[]> AllLines()
    {
        var data = new TheoryData<string, string, string[]>();
        foreach (var line in DocumentedCommandLines.FromRepository())
        {
            // Prose that names a command (`streamer play`, `streamer bench codecs`) is not a command line.
            if (!(line.Inline && NamesACommand(line.Arguments)))
            {
                data.Add(line.Source, line.Text, line.Arguments);
            }
        }

        return data;
    }

    public static TheoryData<string, string, string[]> RunnableLines()
    {
        var data = new TheoryData<string, string, string[]>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in DocumentedCommandLines.FromRepository())
        {
            // The same line shown twice runs once.
            if (Kind(line.Arguments) is not RunKind.ParseOnly && seen.Add(string.Join('\0', line.Arguments)))
            {
                data.Add(line.Source, line.Text, line.Arguments);
            }
        }

        return data;
    }

    private enum RunKind
    {
        ParseOnly,
        Help,
        Serve,
        Play,
        Bench,
        Demo,
    }

    [Fact]
    public void The_docs_show_the_command_lines_we_expect_to_check()
    {
        var lines = DocumentedCommandLines.FromRepository();

        Assert.True(lines.Count >= 40, $"only {lines.Count} command lines found in the docs: the extractor is broken");
        Assert.Contains(lines, l => l.Source.StartsWith("README.md", StringComparison.Ordinal) && l.Arguments.SequenceEqual(["serve", "music.wav", "--codec", "opus", "--bitrate", "64000"]));
        Assert.Contains(lines, l => l.Arguments.SequenceEqual(["play", "[::1]:9611", "--output", "-"]));
        Assert.Contains(lines, l => l.Arguments.SequenceEqual(["demo"]));
        foreach (var kind in new[] { RunKind.Help, RunKind.Serve, RunKind.Play, RunKind.Bench, RunKind.Demo })
        {
            Assert.Contains(lines, l => Kind(l.Arguments) == kind);
        }
    }

    [Fact]
    public void The_extractor_follows_continuations_strips_comments_and_prompts_and_splits_pipes()
    {
        const string markdown = """
            Run `streamer play HOST:PORT --output -` or `streamer:` (not a command), `cat \| streamer devices`.
            ```sh
            $ streamer serve a.wav \
                --codec opus   # comment with --bogus
            printf 'hi\n' | streamer chat connect h:5000 --name "a b" > out.txt 2>&1 &
            dotnet $S play h:1 -q
            dotnet run --project src/Streamer.Cli -c Release -- demo --seconds 1
            streamer probe TARGET... [--count N] [--json|--csv]
            127.0.0.1  up  streamer v1 chat-server
            ```
            """;

        var lines = DocumentedCommandLines.FromMarkdown("x.md", markdown);

        Assert.Equal(
            [
                "play HOST:PORT --output -",
                "devices",
                "serve a.wav --codec opus",
                "chat connect h:5000 --name a b",
                "demo --seconds 1",
                "probe TARGET --count 1 --json",
                "probe TARGET --count 1 --csv",
            ],
            lines.Select(l => string.Join(' ', l.Arguments)));
        Assert.Equal("x.md:3", lines[2].Source);
    }

    [Theory]
    [MemberData(nameof(AllLines))]
    public void Documented_command_line_parses(string source, string text, string[] arguments)
    {
        var parse = CliTree.Parse(arguments);

        Assert.True(parse.Errors.Count == 0, $"{source}: `{text}` does not parse: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
    }

    [Theory]
    [MemberData(nameof(RunnableLines))]
    public async Task Documented_command_line_runs(string source, string text, string[] arguments)
    {
        using var dir = new TempDirectory();
        var parse = CliTree.Parse(arguments);
        string why = $"{source}: `{text}`";
        switch (Kind(arguments))
        {
            case RunKind.Help:
                var help = await CliProcess.RunAsync(arguments, TimeSpan.FromSeconds(60), dir.Path);
                Assert.True(help.ExitCode == 0, $"{why}: exit {help.ExitCode}\n{help.Stderr}");
                Assert.Contains("Usage:", help.Stdout, StringComparison.Ordinal);
                break;
            case RunKind.Serve:
                await RunServeAsync(why, arguments, parse, dir);
                break;
            case RunKind.Play:
                await RunPlayAsync(why, arguments, parse, dir);
                break;
            case RunKind.Bench:
                string[] bench = WithGeneratedWav(arguments, parse, dir);
                var run = await CliProcess.RunAsync(bench, TimeSpan.FromSeconds(180), dir.Path);
                Assert.True(run.ExitCode == 0, $"{why}: exit {run.ExitCode}\n{run.Stderr}");
                break;
            case RunKind.Demo:
                var demo = await CliProcess.RunAsync(arguments, TimeSpan.FromSeconds(90), dir.Path);
                Assert.True(demo.ExitCode == 0, $"{why}: exit {demo.ExitCode}\n{demo.Stderr}");
                Assert.Contains("Played to", demo.Stdout, StringComparison.Ordinal);
                break;
            default:
                Assert.Fail($"{why} is not runnable");
                break;
        }
    }

    private static bool NamesACommand(string[] arguments)
    {
        Command command = CliTree.Root;
        foreach (string word in arguments)
        {
            if (command.Subcommands.FirstOrDefault(c => c.Name == word) is not { } sub)
            {
                return false;
            }

            command = sub;
        }

        return true;
    }

    private static RunKind Kind(string[] arguments)
    {
        var parse = CliTree.Parse(arguments);
        if (parse.Errors.Count > 0)
        {
            return RunKind.ParseOnly;
        }

        if (arguments.Any(a => a is "--help" or "-h" or "-?"))
        {
            return RunKind.Help;
        }

        // TLS and tokens need a matching peer (a pinned fingerprint, a token file): parsed here, run end to end by
        // Cli/Security/TlsCliTests and TokenCliTests, whose runs docs/security.md shows.
        if (arguments.Any(a => a.StartsWith("--tls", StringComparison.Ordinal) || a == "--token-file"))
        {
            return RunKind.ParseOnly;
        }

        // A plug-in named in the docs is built by the reader first: PluginTests builds the sample and runs these.
        if (arguments.Any(a => a.StartsWith("--plugin", StringComparison.Ordinal)))
        {
            return RunKind.ParseOnly;
        }

        return CommandPath(parse) switch
        {
            "serve" => RunKind.Serve,
            "bench codecs" => RunKind.Bench,
            "demo" => RunKind.Demo,
            // The sound card is not assumed: play runs when it writes a file, discards, or writes to stdout.
            "play" when parse.GetValue<string>("--output") is { } output && output != "device" => RunKind.Play,
            _ => RunKind.ParseOnly,
        };
    }

    private static async Task RunServeAsync(string why, string[] arguments, ParseResult parse, TempDirectory dir)
    {
        // Loopback and a free port, whatever the doc's example listens on.
        var args = WithoutOptions(WithGeneratedWav(arguments, parse, dir), "--host", "--port", "-p");
        await using var server = CliProcess.Start([.. args, "--host", "127.0.0.1", "--port", "0"], dir.Path);
        int port = await ListeningPortAsync(server, why);
        if (parse.GetValue<bool>("--loop"))
        {
            return;   // An endless source: that it serves is what can be shown.
        }

        var play = await CliProcess.RunAsync(["play", $"127.0.0.1:{port}", "--output", "null", "-q"], TimeSpan.FromSeconds(60), dir.Path);
        Assert.True(play.ExitCode == 0, $"{why}: playing it exited {play.ExitCode}\n{play.Stderr}\nserver:\n{server.Stderr}");
    }

    private static async Task RunPlayAsync(string why, string[] arguments, ParseResult parse, TempDirectory dir)
    {
        string wav = dir.File("source.wav");
        WavFixture.Write(wav, Format, Format.SampleRate / 2);
        // A .opus file stores Opus packets as received: it needs an Opus stream.
        string codec = parse.GetValue<string>("--output")!.EndsWith(".opus", StringComparison.OrdinalIgnoreCase) ? "opus" : "pcm";
        await using var server = CliProcess.Start(["serve", wav, "--host", "127.0.0.1", "--port", "0", "--codec", codec, "-q"], dir.Path);
        int port = await ListeningPortAsync(server, why);
        string endpoint = parse.GetValue<string>("HOST:PORT")!;
        string[] args = [.. arguments.Select(a => a == endpoint ? $"127.0.0.1:{port}" : a)];

        var play = await CliProcess.RunAsync(args, TimeSpan.FromSeconds(60), dir.Path);
        Assert.True(play.ExitCode == 0, $"{why}: exit {play.ExitCode}\n{play.Stderr}");
    }

    private static async Task<int> ListeningPortAsync(CliProcess server, string why)
    {
        try
        {
            string line = await server.WaitForLineAsync(l => l.StartsWith("Serving on port ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            return int.Parse(PortPattern().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{why}: the server did not start\n{server.Stdout}\n{server.Stderr}");
            throw;
        }
    }

    /// <summary>The FILE (bench) or INPUT (serve) argument replaced by a half-second WAV of the same name in the scratch directory.</summary>
    private static string[] WithGeneratedWav(string[] arguments, ParseResult parse, TempDirectory dir)
    {
        string file = (CommandPath(parse) == "serve" ? parse.GetValue<string>("INPUT") : parse.GetValue<string>("FILE"))!;
        string generated = dir.File(Path.GetFileName(file));
        WavFixture.Write(generated, Format, Format.SampleRate / 2);
        return [.. arguments.Select(a => a == file ? generated : a)];
    }

    private static string[] WithoutOptions(string[] arguments, params string[] names)
    {
        var kept = new List<string>();
        for (int i = 0; i < arguments.Length; i++)
        {
            if (names.Contains(arguments[i]))
            {
                i++;
                continue;
            }

            kept.Add(arguments[i]);
        }

        return [.. kept];
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names);
    }

    [GeneratedRegex(@"Serving on port (\d+)")]
    private static partial Regex PortPattern();
}

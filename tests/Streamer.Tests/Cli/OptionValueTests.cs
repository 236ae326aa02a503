using System.CommandLine;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>
/// Every typed option of every command, given garbage, through the real binary: one line naming the option and the
/// text, exit 2, and no .NET type name ("System.Nullable`1[System.Double]" was what users saw).
/// </summary>
public class OptionValueTests
{
    private const string Garbage = "12garbage";

    /// <summary>Each command that runs, with its path, a placeholder per argument, and its typed options.</summary>
    private static List<(string[] Path, string[] Arguments, Option Option)> TypedOptions()
    {
        var found = new List<(string[], string[], Option)>();
        Walk(CliTree.Root, []);
        return found;

        void Walk(Command command, string[] path)
        {
            if (command.Action is not null)
            {
                // Parse errors come before any action: the arguments' text never matters here.
                string[] arguments = [.. command.Arguments.Select(_ => "x")];
                foreach (var option in command.Options)
                {
                    if (IsTyped(option))
                    {
                        // The command's other required options (proxy's --listen and --to) get a valid address, so the
                        // garbage is the one problem on the line.
                        var required = new List<string>(arguments);
                        foreach (var other in command.Options)
                        {
                            if (other.Required && other != option)
                            {
                                required.Add(other.Name);
                                required.Add("127.0.0.1:1");
                            }
                        }

                        found.Add((path, [.. required], option));
                    }
                }
            }

            foreach (var sub in command.Subcommands)
            {
                Walk(sub, [.. path, sub.Name]);
            }
        }
    }

    private static bool IsTyped(Option option)
        => option.ValueType != typeof(bool) && option.ValueType != typeof(string) && option.ValueType != typeof(string[]);

    [Fact]
    public void Every_typed_option_has_a_parser_of_ours()
    {
        var options = TypedOptions();
        Assert.True(options.Count >= 20, $"only {options.Count} typed options found: the walk is broken");
        var missing = options
            .Where(o => o.Option.GetType().GetProperty("CustomParser")!.GetValue(o.Option) is null)
            .Select(o => string.Join(' ', o.Path) + " " + o.Option.Name)
            .ToList();
        Assert.True(missing.Count == 0, "no custom parser (System.CommandLine would print .NET type names): " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Garbage_in_any_typed_option_is_one_line_without_type_names()
    {
        var options = TypedOptions();
        using var slots = new SemaphoreSlim(3);
        var failures = await Task.WhenAll(options.Select(async o =>
        {
            await slots.WaitAsync();
            try
            {
                string[] args = [.. o.Path, .. o.Arguments, o.Option.Name, Garbage];
                var (code, _, stderr) = await CliProcess.RunAsync(args, TimeSpan.FromSeconds(60));
                string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                bool good = code == 2
                    && lines.Length == 1
                    && lines[0].StartsWith("streamer: error: " + o.Option.Name + ": '" + Garbage + "' is not ", StringComparison.Ordinal)
                    && !stderr.Contains("System.", StringComparison.Ordinal)
                    && !stderr.Contains('`', StringComparison.Ordinal)
                    && !stderr.Contains("Exception", StringComparison.Ordinal);
                return good ? null : $"streamer {string.Join(' ', args)} -> exit {code}:\n{stderr}";
            }
            finally
            {
                slots.Release();
            }
        }));

        var bad = failures.Where(f => f is not null).ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

    [Theory]
    [InlineData("serve", "x.wav", "--port", "70000", "--port must be from 0 to 65535, not 70000")]
    [InlineData("serve", "x.wav", "--max-clients", "0", "--max-clients must be from 1 to 100000, not 0")]
    [InlineData("probe", "localhost", "--port", "0", "--port must be from 1 to 65535, not 0")]
    [InlineData("probe", "localhost", "--retry", "0", "--retry must be from 1 to 1000, not 0")]
    [InlineData("probe", "localhost", "--count", "-1", "--count must be from 0 to 10000, not -1")]
    [InlineData("probe", "localhost", "--timeout", "0", "--timeout must be at least 1 ms, not '0'")]
    [InlineData("serve", "x.wav", "--pace", "fast", "--pace: 'fast' is not a pacing mode (say realtime or asap)")]
    [InlineData("serve", "x.wav", "--bitrate", "64x", "--bitrate: '64x' is not a bitrate (say 64, 64k, 64kbps, 64kbit/s or 64000)")]
    public async Task Out_of_range_and_misspelt_values_are_one_line(string command, string argument, string option, string value, string message)
    {
        var (code, _, stderr) = await CliProcess.RunAsync([command, argument, option, value]);

        Assert.Equal(2, code);
        Assert.Equal($"streamer: error: {message}\n", stderr);
    }

    [Theory]
    [InlineData("64")]
    [InlineData("64k")]
    [InlineData("64kbps")]
    [InlineData("64kbit/s")]
    [InlineData("64000")]
    public async Task Every_bitrate_spelling_reaches_the_encoder_as_64000_bit_per_second(string bitrate)
    {
        using var dir = new TempDirectory();
        string wav = dir.File("in.wav");
        WavFixture.Write(wav, new Streamer.Media.AudioFormat(48000, 2, Streamer.Media.SampleEncoding.Int16), 4800);

        var (server, _) = await ServerProcess.StartAsync(wav, "--codec", "opus", "--bitrate", bitrate);
        await using (server)
        {
            // The encoder logs the settings it was built with before the server listens.
            string settings = await server.WaitForLineAsync(l => l.Contains("opus encoder:", StringComparison.Ordinal));
            Assert.Contains("bitrate=64000,", settings, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Help_says_how_to_spell_a_bitrate_in_every_command_that_takes_one()
    {
        foreach (string[] command in new[] { new[] { "serve" }, ["demo"], ["bench", "codecs"] })
        {
            var (code, stdout, _) = await CliProcess.RunAsync([.. command, "--help"]);
            Assert.Equal(0, code);
            Assert.Contains("64, 64k, 64kbps, 64kbit/s or 64000", stdout, StringComparison.Ordinal);
            Assert.Contains("6000 or more is bit/s", stdout, StringComparison.Ordinal);
        }
    }
}

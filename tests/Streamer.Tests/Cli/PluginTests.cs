using Streamer.Media;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

/// <summary>The sample plug-in (samples/Int8Codec, built against the packed Streamer.Media) through the real binary.</summary>
public sealed class PluginTests : IClassFixture<PluginFixture>
{
    private readonly PluginFixture _plugins;

    public PluginTests(PluginFixture plugins)
    {
        _plugins = plugins;
    }

    [Fact]
    public async Task Codecs_lists_the_plugin_codec_with_its_path_and_the_built_in_ones()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["--plugin", _plugins.SamplePlugin, "codecs"]);

        Assert.True(code == 0, stderr);
        var int8 = Assert.Single(stdout.Split('\n'), l => l.StartsWith("int8 ", StringComparison.Ordinal));
        Assert.Contains("encoded", int8, StringComparison.Ordinal);
        Assert.EndsWith(_plugins.SamplePlugin, int8.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains(stdout.Split('\n'), l => l.StartsWith("pcm ", StringComparison.Ordinal) && l.Contains("raw-pcm", StringComparison.Ordinal) && l.TrimEnd().EndsWith("built-in", StringComparison.Ordinal));

        var (jsonCode, json, _) = await CliProcess.RunAsync(["codecs", "--json"], environment: new Dictionary<string, string?> { ["STREAMER_PLUGINS"] = Path.GetDirectoryName(_plugins.SamplePlugin) });
        Assert.Equal(0, jsonCode);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var entry = Assert.Single(document.RootElement.GetProperty("codecs").EnumerateArray(), c => c.GetProperty("name").GetString() == "int8");
        Assert.Equal(_plugins.SamplePlugin, entry.GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_stream_through_the_plugin_codec_round_trips_within_its_error()
    {
        using var dir = new TempDirectory();
        var format = new AudioFormat(44100, 2, SampleEncoding.Int16);
        byte[] source = WavFixture.Write(dir.File("in.wav"), format, 44100);
        var (server, port) = await ServerProcess.StartAsync(dir.File("in.wav"), "--plugin", _plugins.SamplePlugin, "--codec", "int8", "--pace", "asap");
        await using (server)
        {
            var (code, _, stderr) = await CliProcess.RunAsync(["--plugin", _plugins.SamplePlugin, "play", $"127.0.0.1:{port}", "--output", dir.File("out.wav"), "-q"]);
            Assert.True(code == 0, stderr);
        }

        byte[] output = WavFixture.DataOf(await File.ReadAllBytesAsync(dir.File("out.wav")));
        Assert.Equal(source.Length, output.Length);
        int worst = 0;
        for (int i = 0; i < source.Length; i += 2)
        {
            int expected = (short)(source[i] | (source[i + 1] << 8));
            int actual = (short)(output[i] | (output[i + 1] << 8));
            worst = Math.Max(worst, Math.Abs(expected - actual));
        }

        // Rounding to the top byte: half a step, plus the clamp at the positive end (32767 -> 32512).
        Assert.InRange(worst, 1, 256);
    }

    [Fact]
    public async Task A_file_that_is_not_dotnet_gets_one_line_and_exit_2()
    {
        string fake = Path.Combine(_plugins.Root, "fake.dll");
        await File.WriteAllTextAsync(fake, "MZ? not really");
        await AssertOneLineAsync(["--plugin", fake, "codecs"], $"streamer: error: plugin {fake}: not a .NET assembly");
    }

    [Fact]
    public async Task A_plugin_whose_constructor_throws_gets_one_line_and_exit_2()
        => await AssertOneLineAsync(["--plugin", _plugins.ThrowingPlugin, "serve", "x.wav"], $"streamer: error: plugin {_plugins.ThrowingPlugin}: Int8Sample.Int8Codec's constructor threw InvalidOperationException: no licence key");

    [Fact]
    public async Task A_plugin_codec_named_like_a_built_in_one_gets_one_line_and_exit_2()
        => await AssertOneLineAsync(["play", "127.0.0.1:1", "--plugin", _plugins.ClashingPlugin], $"streamer: error: plugin {_plugins.ClashingPlugin}: codec 'pcm' clashes with the built-in codec of that name");

    [Fact]
    public async Task A_missing_plugin_file_gets_one_line_and_exit_2()
        => await AssertOneLineAsync(["codecs", "--plugin=nowhere.dll"], "streamer: error: plugin nowhere.dll: no such file");

    private static async Task AssertOneLineAsync(string[] args, string expected)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal(expected, stderr.TrimEnd('\n'));
    }
}

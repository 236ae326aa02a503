using Streamer.Tests.Support;

namespace Streamer.Tests.Media.Playout;

public sealed class JitterOptionsCliTests
{
    [Theory]
    [InlineData("--min-jitter-ms", "50", "--max-jitter-ms", "10", "--min-jitter-ms (50) is above --max-jitter-ms (10)")]
    [InlineData("--jitter-ms", "-1", "--max-jitter-ms", "500", "--jitter-ms must be from 0 to 10000, not -1")]
    [InlineData("--max-jitter-ms", "20000", "--min-jitter-ms", "20", "--max-jitter-ms must be from 0 to 10000, not 20000")]
    public async Task Bad_jitter_options_are_bad_input_before_connecting(string option1, string value1, string option2, string value2, string message)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["play", "127.0.0.1:9", "--output", "null", option1, value1, option2, value2], TimeSpan.FromSeconds(30));

        Assert.Equal(2, code);
        Assert.Equal($"streamer: error: {message}\n", stderr);
    }

    [Theory]
    [InlineData("nope", "--jitter-strategy: unknown jitter strategy 'nope' (known: fixed:MS, adaptive[:pNN])")]
    [InlineData("fixed:x", "--jitter-strategy: jitter strategy 'fixed:x': the target must be a number of ms from 0 to 10000")]
    public async Task A_bad_jitter_strategy_is_bad_input_before_connecting(string name, string message)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["play", "127.0.0.1:9", "--output", "null", "--jitter-strategy", name], TimeSpan.FromSeconds(30));

        Assert.Equal(2, code);
        Assert.Equal($"streamer: error: {message}\n", stderr);
    }

    [Fact]
    public async Task Jitter_ms_and_jitter_strategy_together_are_bad_input()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["play", "127.0.0.1:9", "--output", "null", "--jitter-ms", "40", "--jitter-strategy", "adaptive"], TimeSpan.FromSeconds(30));

        Assert.Equal(2, code);
        Assert.Equal("streamer: error: --jitter-ms and --jitter-strategy both choose the strategy: give one\n", stderr);
    }
}

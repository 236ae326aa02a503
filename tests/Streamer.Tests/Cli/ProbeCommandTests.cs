using System.Net;
using System.Text.Json;
using Streamer.Tests.Probe;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

public class ProbeCommandTests
{
    [Fact]
    public async Task Table_shows_up_and_down_targets_and_exit_1_when_any_is_down()
    {
        using var open = LoopbackPorts.Listen(IPAddress.Loopback);
        int openPort = LoopbackPorts.PortOf(open);
        int closedPort = LoopbackPorts.ClosedPort();
        var (code, stdout, stderr) = await CliProcess.RunAsync(
            ["probe", $"127.0.0.1:{openPort}", $"127.0.0.1:{closedPort}", "nothing-here.invalid", "--retry", "2", "--delay", "50ms", "--timeout", "2s", "--count", "0"]);

        Assert.Equal(1, code);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("TARGET", lines[0], StringComparison.Ordinal);
        Assert.Matches(@$"^127\.0\.0\.1:{openPort}\s+up\s+127\.0\.0\.1\s+\d+\.\d+ ms\s+1\s*$", lines[1]);
        Assert.Matches(@$"^127\.0\.0\.1:{closedPort}\s+down\s+127\.0\.0\.1\s+-\s+2\s+refused$", lines[2]);
        Assert.Matches(@"^nothing-here\.invalid:443\s+down\s+-\s+-\s+\d\s+not resolved", lines[3]);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_is_an_array_of_targets_and_exit_0_when_all_are_up()
    {
        using var open = LoopbackPorts.Listen(IPAddress.Loopback);
        using var open6 = LoopbackPorts.Listen(IPAddress.IPv6Loopback);
        var (code, stdout, _) = await CliProcess.RunAsync(
            ["probe", $"localhost:{LoopbackPorts.PortOf(open)}", $"[::1]:{LoopbackPorts.PortOf(open6)}", "--json", "--count", "0"]);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var items = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, items.Length);
        Assert.Equal("up", items[0].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("reason").ValueKind);
        Assert.Equal("localhost", items[0].GetProperty("host").GetString());
        Assert.True(items[0].GetProperty("connectMs").GetDouble() >= 0);
        Assert.Equal(1, items[0].GetProperty("attempts").GetInt32());
        Assert.Equal("::1", items[1].GetProperty("address").GetString());
        Assert.Equal("up", items[1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Json_reports_timed_out_within_the_timeout()
    {
        using var full = new BacklogFullListener();
        var (code, stdout, _) = await CliProcess.RunAsync(["probe", $"127.0.0.1:{full.Port}", "--json", "--retry", "1", "--timeout", "1s"]);

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(stdout);
        var item = json.RootElement[0];
        Assert.Equal("down", item.GetProperty("status").GetString());
        Assert.Equal("timed out", item.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("connectMs").ValueKind);
    }

    [Theory]
    [InlineData("[::1", "missing ']'")]
    [InlineData("host:99999", "port must be")]
    [InlineData("--retry=0 host", "--retry")]
    [InlineData("--timeout=soon host", "--timeout: 'soon'")]
    [InlineData("--count=-1 host", "--count")]
    [InlineData("wat://host", "no known port")]
    public async Task Bad_arguments_exit_2_with_one_line(string args, string problem)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["probe", .. args.Split(' ')]);

        Assert.Equal(2, code);
        Assert.Contains(problem, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public async Task No_target_is_a_usage_error()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["probe"]);
        Assert.Equal(2, code);
        Assert.Contains("streamer probe --help", stderr, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Sockets;
using Streamer.Tests.Support;

namespace Streamer.Tests.Web;

/// <summary>serve's web and chat options given bad values: one line naming the problem, the documented exit code, no stack trace.</summary>
public class WebBadInputTests
{
    [Fact]
    public async Task An_http_host_that_is_not_an_address_exits_2_with_one_line_before_serving()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["serve", "tone", "--port", "0", "--http-port", "0", "--http-host", "bogus"], TimeSpan.FromSeconds(60));
        Assert.Equal(2, code);
        Assert.Contains("--http-host: 'bogus' is not an IP address", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Serving on port", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_port_in_use_exits_1_with_one_line_and_no_stack_trace()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var (code, stdout, stderr) = await CliProcess.RunAsync(["serve", "tone", "--port", "0", "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(60));
        Assert.Equal(1, code);
        Assert.Contains($"cannot listen for HTTP on 127.0.0.1:{port}", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chat_port_in_use_exits_1_with_one_line_and_no_stack_trace()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var (code, stdout, stderr) = await CliProcess.RunAsync(["serve", "tone", "--host", "127.0.0.1", "--port", "0", "--chat-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(60));
        Assert.Equal(1, code);
        Assert.Contains($"--chat-port: cannot listen on 127.0.0.1:{port}", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n'), l => l.StartsWith("streamer: error:", StringComparison.Ordinal));
        Assert.DoesNotContain("Serving on port", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_with_on_demand_mode_is_bad_input()
    {
        using var dir = new TempDirectory();
        WavFixture.Write(dir.File("in.wav"), new Streamer.Media.AudioFormat(48000, 2, Streamer.Media.SampleEncoding.Int16), 4800);
        var (code, _, stderr) = await CliProcess.RunAsync(["serve", dir.File("in.wav"), "--port", "0", "--http-port", "0", "--mode", "on-demand"], TimeSpan.FromSeconds(60));
        Assert.Equal(2, code);
        Assert.Contains("--http-port streams one live broadcast", stderr, StringComparison.Ordinal);
    }
}

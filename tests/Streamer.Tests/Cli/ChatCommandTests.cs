using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Streamer.Tests.Chat;
using Streamer.Tests.Support;

namespace Streamer.Tests.Cli;

public class ChatCommandTests
{
    [Fact]
    public async Task Three_clients_chat_through_the_real_binary()
    {
        await using var server = await StartServerAsync();
        await using var alice = await JoinAsync(server.Port, "alice");
        await using var bob = await JoinAsync(server.Port, "bob");
        await alice.WaitForLineAsync(l => l == "* bob joined");
        await using var carol = await JoinAsync(server.Port, "carol");
        await alice.WaitForLineAsync(l => l == "* carol joined");
        await bob.WaitForLineAsync(l => l == "* carol joined");

        await SayAsync(alice, "hello from alice ✓");
        await bob.WaitForLineAsync(l => l == "alice: hello from alice ✓");
        await carol.WaitForLineAsync(l => l == "alice: hello from alice ✓");

        // Title change, screen clear, cursor home and a forged line: all must arrive inert.
        await SayAsync(carol, "\u001B]0;pwned\u0007\u001B[2J\u001B[Hgotcha\u0008\u0008\u009B1A\u202E!");
        string seen = await alice.WaitForLineAsync(l => l.StartsWith("carol: ", StringComparison.Ordinal));
        Assert.Equal("carol: \uFFFD\uFFFD\uFFFDgotcha\uFFFD\uFFFD\uFFFD\uFFFD!", seen);

        await SayAsync(bob, "bye");
        Assert.Equal(0, await bob.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await alice.WaitForLineAsync(l => l == "* bob left");
        await carol.WaitForLineAsync(l => l == "* bob left");

        await SayAsync(carol, "/quit");
        Assert.Equal(0, await carol.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await alice.WaitForLineAsync(l => l == "* carol left");

        alice.Stdin.Close();
        Assert.Equal(0, await alice.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        foreach (var client in new[] { alice, bob, carol })
        {
            Assert.DoesNotContain('\u001B', client.Stdout);
            Assert.DoesNotContain('\u0007', client.Stdout);
            Assert.Equal(string.Empty, client.Stderr.Trim());
        }

        Assert.DoesNotContain("alice: hello", alice.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_garbage_sending_client_is_dropped_while_the_others_keep_talking()
    {
        await using var server = await StartServerAsync();
        await using var alice = await JoinAsync(server.Port, "alice");
        await using var bob = await JoinAsync(server.Port, "bob");
        using var vandal = await RawChatPeer.ConnectAsync(server.Port);
        await vandal.HelloAsync("chat", "vandal");
        await alice.WaitForLineAsync(l => l == "* vandal joined");

        await vandal.SendAsync([0, 0, 0, 0, 0, 0, 0, 3, 0xC1, 0xC1, 0xC1, .. "GET / HTTP/1.1\r\n\r\n"u8.ToArray()]);

        await alice.WaitForLineAsync(l => l.StartsWith("* vandal left (dropped: sent garbage", StringComparison.Ordinal));
        await bob.WaitForLineAsync(l => l.StartsWith("* vandal left (dropped: sent garbage", StringComparison.Ordinal));
        await SayAsync(alice, "still talking");
        await bob.WaitForLineAsync(l => l == "alice: still talking");
        await SayAsync(bob, "me too");
        await alice.WaitForLineAsync(l => l == "bob: me too");
        await server.Process.WaitForLineAsync(l => l.Contains("Dropping vandal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Too_long_lines_are_refused_locally_and_the_session_goes_on()
    {
        await using var server = await StartServerAsync();
        await using var alice = await JoinAsync(server.Port, "alice");
        await using var bob = await JoinAsync(server.Port, "bob");
        await alice.WaitForLineAsync(l => l == "* bob joined");

        await SayAsync(bob, new string('z', 3000));
        await bob.WaitForLineAsync(l => l == "* not sent: the message is 3000 bytes; the limit is 2048");
        await SayAsync(bob, "short one");
        await alice.WaitForLineAsync(l => l == "bob: short one");
        Assert.DoesNotContain("zzz", alice.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_vanishes_ends_the_clients_with_exit_1()
    {
        var server = await StartServerAsync();
        await using var alice = await JoinAsync(server.Port, "alice");

        await server.DisposeAsync();

        Assert.Equal(1, await alice.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.StartsWith("streamer: error: ", alice.Stderr, StringComparison.Ordinal);
        Assert.Single(alice.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Probe_reports_a_chat_server_with_version_and_round_trips()
    {
        await using var server = await StartServerAsync();
        var (code, stdout, _) = await CliProcess.RunAsync(["probe", $"127.0.0.1:{server.Port}", "--count", "4", "--json"]);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var streamer = json.RootElement[0].GetProperty("streamer");
        Assert.Equal(1, streamer.GetProperty("version").GetInt32());
        Assert.Equal("chat-server", streamer.GetProperty("role").GetString());
        var rtt = streamer.GetProperty("rtt");
        Assert.Equal(4, rtt.GetProperty("received").GetInt32());
        Assert.True(rtt.GetProperty("minMs").GetDouble() <= rtt.GetProperty("maxMs").GetDouble());
    }

    [Theory]
    [InlineData("chat connect 127.0.0.1:5000 --name=", 2, "--name")]
    [InlineData("chat connect 127.0.0.1:5000 --name=\u0007\u001B", 2, "--name must have")]
    [InlineData("chat connect 127.0.0.1:5000 --name=a-name-that-is-much-too-long-for-the-room", 2, "--name must have")]
    [InlineData("chat connect 127.0.0.1:99999 --name=x", 2, "port must be")]
    [InlineData("chat serve --max-clients=0", 2, "--max-clients")]
    [InlineData("chat", 2, "Required command")]
    public async Task Bad_arguments_exit_2_with_one_line(string args, int expected, string problem)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(args.Split(' '));
        Assert.Equal(expected, code);
        Assert.Contains(problem, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_exits_1()
    {
        int port = Probe.LoopbackPorts.ClosedPort();
        var (code, _, stderr) = await CliProcess.RunAsync(["chat", "connect", $"127.0.0.1:{port}", "--name", "x"]);
        Assert.Equal(1, code);
        Assert.Equal("streamer: error: connection refused", stderr.Trim());
    }

    [Fact]
    public async Task Serving_on_a_port_in_use_exits_1()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen(1);
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var (code, _, stderr) = await CliProcess.RunAsync(["chat", "serve", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(1, code);
        Assert.Contains("address already in use", stderr, StringComparison.Ordinal);
    }

    private static async Task<CliProcess> JoinAsync(int port, string name)
    {
        var client = CliProcess.Start(["chat", "connect", $"127.0.0.1:{port}", "--name", name], redirectStdin: true);
        await client.WaitForLineAsync(l => l.StartsWith("* you joined as " + name, StringComparison.Ordinal));
        return client;
    }

    private static async Task SayAsync(CliProcess client, string line)
    {
        await client.Stdin.WriteLineAsync(line);
        await client.Stdin.FlushAsync();
    }

    private static async Task<ChatServerProcess> StartServerAsync()
    {
        var process = CliProcess.Start(["chat", "serve", "--host", "127.0.0.1", "--port", "0"]);
        string line = await process.WaitForLineAsync(l => l.StartsWith("Chat room on port ", StringComparison.Ordinal));
        int port = int.Parse(line["Chat room on port ".Length..line.IndexOf('.', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        return new ChatServerProcess(process, port);
    }

    private sealed record ChatServerProcess(CliProcess Process, int Port) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}

using System.Globalization;
using System.Text.Json;
using Streamer.Tests.Cli.Security;
using Streamer.Tests.Support;

namespace Streamer.Tests.Web;

/// <summary>
/// <c>serve … --http-port 0 --chat-port 0</c>: a real <c>streamer chat connect</c> joins the room on loopback and
/// says a line; /status.json and the /events feed show the member and the line (neutralized: an escape sequence
/// becomes U+FFFD, markup stays text), then the leave. Under <c>--token-file</c> joining needs the chat role, and a
/// listen-only token sees how many are in the room but not who or what they say.
/// </summary>
public sealed class WebChatTests
{
    private const string Line = "hello from the chat <b>not bold</b> \u001b[31mred?";
    // The whole escape sequence becomes one U+FFFD (PeerText); the markup is kept as text.
    private const string Shown = "hello from the chat <b>not bold</b> \uFFFDred?";

    [Fact]
    public async Task A_chat_line_reaches_status_json_and_the_event_feed_neutralized()
    {
        var (server, _, httpPort) = await WebServerProcess.StartAsync("tone", "--chat-port", "0");
        await using (server)
        {
            int chatPort = WebServerProcess.ChatPort(server);
            using (var empty = await WebServerProcess.StatusAsync(httpPort))
            {
                var chat = empty.RootElement.GetProperty("chat");
                Assert.Equal(chatPort, chat.GetProperty("port").GetInt32());
                Assert.Equal(0, chat.GetProperty("participants").GetInt32());
            }

            await using var member = await JoinAsync(chatPort, "ann", null);
            await member.Stdin.WriteLineAsync(Line);
            await member.Stdin.FlushAsync();

            var said = await WaitForChatAsync(httpPort, null, c => Lines(c).Any(l => l.Event == "message"));
            Assert.True(said.GetProperty("readable").GetBoolean());
            Assert.Equal(new[] { "ann" }, said.GetProperty("members").EnumerateArray().Select(m => m.GetString()!).ToArray());
            var lines = Lines(said);
            Assert.Contains(("ann", "join", string.Empty), lines);
            Assert.Contains(("ann", "message", Shown), lines);

            // The same line in the server-sent events the page listens to, escaped as JSON (no raw '<').
            string events = await ReadEventsAsync(httpPort, e => e.Contains("not bold", StringComparison.Ordinal));
            Assert.Contains("\\u003Cb\\u003Enot bold", events, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>", events, StringComparison.Ordinal);

            await member.Stdin.WriteLineAsync("/quit");
            await member.Stdin.FlushAsync();
            Assert.Equal(0, await member.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            var left = await WaitForChatAsync(httpPort, null, c => c.GetProperty("participants").GetInt32() == 0 && Lines(c).Any(l => l.Event == "leave"));
            Assert.Empty(left.GetProperty("members").EnumerateArray());
        }
    }

    [Fact]
    public async Task Under_tokens_joining_needs_the_chat_role_and_only_a_chat_token_reads_the_room()
    {
        using var dir = new TempDirectory();
        const string ListenOnly = "listen-0123456789abcdef0123456789";
        const string Both = "both-fedcba9876543210fedcba987654";
        const string ChatOnly = "chat-00112233445566778899aabbccdd";
        File.WriteAllText(dir.File("tokens"), $"{ListenOnly} listen\n{Both} listen,chat\n{ChatOnly} chat\n");
        var (server, _, httpPort) = await WebServerProcess.StartAsync(SecuredServer.Environment(dir.File("config")), "tone", "--chat-port", "0", "--token-file", dir.File("tokens"));
        await using (server)
        {
            int chatPort = WebServerProcess.ChatPort(server);
            var (refused, _, refusedError) = await CliProcess.RunAsync(["chat", "connect", $"127.0.0.1:{chatPort.ToString(CultureInfo.InvariantCulture)}", "--name", "eve"], TimeSpan.FromSeconds(30), environment: SecuredServer.Environment(dir.File("config"), ListenOnly));
            Assert.Equal(1, refused);
            Assert.Equal("streamer: error: the server said: the token does not allow role 'chat'", refusedError.Trim());

            await using var member = await JoinAsync(chatPort, "ann", SecuredServer.Environment(dir.File("config"), ChatOnly));
            await member.Stdin.WriteLineAsync("only for the room");
            await member.Stdin.FlushAsync();
            var readable = await WaitForChatAsync(httpPort, Both, c => Lines(c).Any(l => l.Text == "only for the room"));
            Assert.True(readable.GetProperty("readable").GetBoolean());

            using var hidden = await WebServerProcess.StatusAsync(httpPort, ListenOnly);
            var chat = hidden.RootElement.GetProperty("chat");
            Assert.False(chat.GetProperty("readable").GetBoolean());
            Assert.Equal(1, chat.GetProperty("participants").GetInt32());
            Assert.Equal(JsonValueKind.Null, chat.GetProperty("members").ValueKind);
            Assert.Equal(JsonValueKind.Null, chat.GetProperty("recent").ValueKind);
            Assert.DoesNotContain("only for the room", hidden.RootElement.GetRawText(), StringComparison.Ordinal);
        }
    }

    private static async Task<CliProcess> JoinAsync(int chatPort, string name, IDictionary<string, string?>? environment)
    {
        var member = CliProcess.Start(["chat", "connect", $"127.0.0.1:{chatPort.ToString(CultureInfo.InvariantCulture)}", "--name", name], environment: environment, redirectStdin: true);
        await member.WaitForLineAsync(l => l.Contains("you joined as " + name, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        return member;
    }

    private static List<(string From, string Event, string Text)> Lines(JsonElement chat)
        => chat.GetProperty("recent").EnumerateArray()
            .Select(l => (l.GetProperty("from").GetString()!, l.GetProperty("event").GetString()!, l.GetProperty("text").GetString()!))
            .ToList();

    private static async Task<JsonElement> WaitForChatAsync(int httpPort, string? token, Func<JsonElement, bool> done)
    {
        for (int attempt = 0; attempt < 300; attempt++)
        {
            using var status = await WebServerProcess.StatusAsync(httpPort, token);
            var chat = status.RootElement.GetProperty("chat");
            if (chat.GetProperty("readable").GetBoolean() && done(chat))
            {
                return chat.Clone();
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the chat room never showed what was expected in /status.json");
    }

    /// <summary>The /events feed until an event matches (the raw "data: …" text of that event).</summary>
    private static async Task<string> ReadEventsAsync(int httpPort, Func<string, bool> match)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.GetAsync($"http://127.0.0.1:{httpPort}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal) && match(line))
            {
                return line;
            }
        }

        throw new IOException("the event feed ended");
    }
}

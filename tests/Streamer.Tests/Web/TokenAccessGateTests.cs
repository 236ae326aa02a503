using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Protocol.Security;
using Streamer.Web;

namespace Streamer.Tests.Web;

/// <summary>The web port's token check on requests built in memory: where a token is taken from, what each refusal answers, and the roles left for the chat view.</summary>
public sealed class TokenAccessGateTests
{
    private const string Listen = "listen-0123456789abcdef0123456789";
    private const string Both = "both-fedcba9876543210fedcba987654";
    private const string Chat = "chat-00112233445566778899aabbccdd";
    private static readonly AccessTokens Tokens = AccessTokens.Parse($"{Listen} listen\n{Both}\n{Chat} chat\n", "test");

    [Theory]
    [InlineData("Bearer " + Listen, "", Listen)]
    [InlineData("bearer  " + Listen + " ", "", Listen)]
    [InlineData("", "?token=" + Listen, Listen)]
    [InlineData("Bearer " + Listen, "?token=" + Chat, Listen)]
    [InlineData("Basic dXNlcjpwYXNz", "", null)]
    [InlineData("Bearer ", "?token=", null)]
    [InlineData("", "", null)]
    public void The_token_comes_from_the_bearer_header_else_the_query(string authorization, string query, string? expected)
    {
        var context = Request("/stream.opus", authorization, query);
        Assert.Equal(expected, TokenAccessGate.Presented(context.Request));
    }

    [Theory]
    [InlineData("", 401, "this server needs a token: send 'Authorization: Bearer TOKEN' or add ?token=TOKEN to the URL\n")]
    [InlineData("?token=not-a-token-at-all-000000", 401, "the token was not accepted\n")]
    [InlineData("?token=" + Chat, 403, "the token does not allow listening (it needs the listen role)\n")]
    public async Task A_request_without_a_listen_token_gets_one_line_and_its_status(string query, int status, string body)
    {
        var context = Request("/status.json", string.Empty, query);
        Assert.False(await new TokenAccessGate(Tokens, NullLogger.Instance).AllowAsync(context));
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal(body, Body(context));
        Assert.Equal(status == 401, context.Response.Headers.WWWAuthenticate.ToString().StartsWith("Bearer realm=\"streamer\"", StringComparison.Ordinal));
        Assert.DoesNotContain(Chat, Body(context), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_static_files_pass_without_a_token_and_a_listen_token_passes_everywhere()
    {
        var gate = new TokenAccessGate(Tokens, NullLogger.Instance);
        Assert.True(await gate.AllowAsync(Request("/app.js", string.Empty, string.Empty)));
        Assert.True(await gate.AllowAsync(Request("/style.css", string.Empty, string.Empty)));
        Assert.False(await gate.AllowAsync(Request("/", string.Empty, string.Empty)));
        Assert.False(await gate.AllowAsync(Request("/app.js/../status.json", string.Empty, string.Empty)));

        var listen = Request("/", "Bearer " + Listen, string.Empty);
        Assert.True(await gate.AllowAsync(listen));
        Assert.False(TokenAccessGate.MayReadChat(listen, tokensOn: true));

        var both = Request("/events", string.Empty, "?token=" + Both);
        Assert.True(await gate.AllowAsync(both));
        Assert.True(TokenAccessGate.MayReadChat(both, tokensOn: true));
        Assert.True(TokenAccessGate.MayReadChat(Request("/", string.Empty, string.Empty), tokensOn: false));
    }

    private static DefaultHttpContext Request(string path, string authorization, string query)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        if (authorization.Length > 0)
        {
            context.Request.Headers.Authorization = authorization;
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}

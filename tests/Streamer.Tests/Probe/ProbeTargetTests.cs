using Streamer.Probe;

namespace Streamer.Tests.Probe;

public class ProbeTargetTests
{
    [Theory]
    [InlineData("example.com", "example.com", 443)]
    [InlineData("example.com:8080", "example.com", 8080)]
    [InlineData("127.0.0.1", "127.0.0.1", 443)]
    [InlineData("127.0.0.1:22", "127.0.0.1", 22)]
    [InlineData("[::1]:9611", "::1", 9611)]
    [InlineData("[::1]", "::1", 443)]
    [InlineData("::1", "::1", 443)]
    [InlineData("fe80::1", "fe80::1", 443)]
    [InlineData("http://example.com", "example.com", 80)]
    [InlineData("https://example.com/path?q=1", "example.com", 443)]
    [InlineData("https://example.com:8443/", "example.com", 8443)]
    [InlineData("http://example.com:80", "example.com", 80)]
    [InlineData("http://user@example.com:81/x", "example.com", 81)]
    [InlineData("ssh://git.example.org", "git.example.org", 22)]
    [InlineData("streamer://localhost", "localhost", 9611)]
    [InlineData("http://[::1]:5000/", "::1", 5000)]
    [InlineData("https://[2001:db8::1]", "2001:db8::1", 443)]
    [InlineData("  host.local:5000  ", "host.local", 5000)]
    public void Parses_every_target_form(string text, string host, int port)
    {
        Assert.True(ProbeTarget.TryParse(text, 443, out var target, out string error), error);
        Assert.Equal(host, target.Host);
        Assert.Equal(port, target.Port);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("host:0", "port")]
    [InlineData("host:70000", "port")]
    [InlineData("host:http", "port")]
    [InlineData("[::1", "']'")]
    [InlineData("[::1]x", "':PORT'")]
    [InlineData("gopherx://example.com", "no known port")]
    [InlineData("http://", "not a valid URL")]
    [InlineData("bad host name", "not a host name")]
    public void Rejects_bad_targets_naming_the_text(string text, string problem)
    {
        Assert.False(ProbeTarget.TryParse(text, 443, out _, out string error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
        if (text.Trim().Length > 0)
        {
            Assert.Contains(text.Trim(), error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Endpoint_brackets_IPv6()
    {
        Assert.True(ProbeTarget.TryParse("::1", 80, out var v6, out _));
        Assert.Equal("[::1]:80", v6.Endpoint);
        Assert.True(ProbeTarget.TryParse("https://example.com", 80, out var url, out _));
        Assert.Equal("example.com:443", url.Endpoint);
    }
}

using System.Text.Json;
using Streamer.Tests.Support;

namespace Streamer.Tests.Web;

/// <summary>
/// /status.json of a real server with a real <c>streamer play</c> listening: the player's reports (kind 10, once a
/// second) reach the server and show up with figures that change; an HTTP listener is listed too.
/// </summary>
public class WebStatusTests
{
    [Fact]
    public async Task A_running_play_client_is_listed_with_its_reported_stats_which_change()
    {
        var (server, audioPort, httpPort) = await WebServerProcess.StartAsync("tone");
        await using (server)
        {
            await using var play = CliProcess.Start(["play", $"127.0.0.1:{audioPort}", "--output", "paced-null", "--duration", "60s"]);
            var first = await WaitForReportAsync(httpPort, packetsAbove: 0);
            var later = await WaitForReportAsync(httpPort, packetsAbove: first.GetProperty("packets").GetInt64());

            Assert.True(later.GetProperty("packets").GetInt64() > first.GetProperty("packets").GetInt64());
            Assert.Equal(0, later.GetProperty("underruns").GetInt64());
            Assert.Equal(0, later.GetProperty("lost").GetInt64());
            Assert.True(later.GetProperty("latencyMs").GetDouble() > 0);
            // paced-null pulls like a sound card through the jitter buffer: it has a target depth.
            Assert.True(later.GetProperty("targetMs").GetDouble() > 0);
        }
    }

    /// <summary>Polls until the one protocol listener has a report with more than <paramref name="packetsAbove"/> packets.</summary>
    internal static async Task<JsonElement> WaitForReportAsync(int httpPort, long packetsAbove)
    {
        for (int attempt = 0; attempt < 300; attempt++)
        {
            using var status = await WebServerProcess.StatusAsync(httpPort);
            var listeners = status.RootElement.GetProperty("listeners").GetProperty("protocol");
            if (listeners.GetArrayLength() == 1 && listeners[0].GetProperty("reported") is { ValueKind: JsonValueKind.Object } reported
                && reported.GetProperty("packets").GetInt64() > packetsAbove)
            {
                Assert.StartsWith("streamer/", listeners[0].GetProperty("agent").GetString());
                return reported.Clone();
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the play client never reported (or reported nothing new)");
    }
}

using Streamer.Streaming.Receive.Http;

namespace Streamer.Tests.Streaming.Receive.Http;

/// <summary>The live-edge count of an HTTP stream, on given arrival times (no clock): a burst is kept up to the longest page plus the slack, the rest is behind; after audio runs dry the count starts afresh.</summary>
public sealed class LiveEdgeTests
{
    [Fact]
    public void A_burst_is_kept_up_to_the_longest_page_plus_the_slack_and_a_stall_starts_the_count_afresh()
    {
        var edge = new LiveEdge();
        edge.AddPage(960);
        int kept = 0;
        for (int i = 0; i < 100; i++)
        {
            // Two seconds of 20 ms packets, all arriving at once (Icecast's burst on connect).
            kept += edge.IsBehind(1_000_000, 960) ? 0 : 1;
        }

        Assert.Equal((int)((20_000 + LiveEdge.SlackUs) / 20_000) + 1, kept);

        // A second later the kept audio has been played out: what arrives now is at the edge again.
        Assert.False(edge.IsBehind(2_000_000, 960));
        // At the real-time rate, packets keep coming at the edge.
        for (int i = 1; i <= 50; i++)
        {
            Assert.False(edge.IsBehind(2_000_000 + (i * 20_000), 960));
        }
    }
}

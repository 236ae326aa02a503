using System.Diagnostics.Metrics;

namespace Streamer.Media.Playout;

/// <summary>
/// The send-to-playout latency histogram of the client's meter (<c>Streamer.Client</c>, whose other instruments
/// Streamer.Streaming observes from <see cref="PlaybackStats"/>): a histogram needs every sample, and they are taken
/// here, when a frame's first sample plays. Tagless Record allocates nothing.
/// </summary>
internal static class PlayoutMetrics
{
    private static readonly Meter Meter = new("Streamer.Client");

    /// <summary>Send-to-playout latency per frame.</summary>
    public static readonly Histogram<double> Latency = Meter.CreateHistogram<double>("streamer.client.latency", "s", "Time from the sender's capture of a frame to its first sample playing here (the sender's clock mapped onto ours)");
}

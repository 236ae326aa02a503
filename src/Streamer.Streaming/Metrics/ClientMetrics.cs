using System.Diagnostics.Metrics;
using Streamer.Media.Playout;
using Streamer.Streaming.Receive;

namespace Streamer.Streaming.Metrics;

/// <summary>
/// The client's instruments (meter <c>Streamer.Client</c>; docs/metrics.md lists them). The receive path already counts
/// everything into each stream's <see cref="PlaybackStats"/>; these instruments are observed from those counters when
/// a listener collects, so the per-packet path gains no work at all. Counters add up every stream the process has
/// received (finished ones included); the jitter-buffer gauges show the most recently started stream that has a
/// buffer. The send-to-playout latency histogram is recorded where it is measured (Streamer.Media's playout).
/// </summary>
internal static class ClientMetrics
{
    /// <summary>The meter's name, for dotnet-counters and OpenTelemetry.</summary>
    public const string MeterName = "Streamer.Client";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Lock Gate = new();
    private static readonly List<PlaybackStats> Live = [];

    /// <summary>The counted figures, in the order of <see cref="Finished"/>.</summary>
    private static readonly Func<PlaybackStats, long>[] Fields =
    [
        static s => s.Packets, static s => s.Bytes, static s => s.Lost, static s => s.Late, static s => s.Concealed, static s => s.Underruns,
    ];

    /// <summary>What the finished streams counted, per field.</summary>
    private static readonly long[] Finished = new long[Fields.Length];

    private static readonly UpDownCounter<long> ActiveStreams = Meter.CreateUpDownCounter<long>("streamer.client.active_streams", "{stream}", "Streams being received now");
    private static ReceivedStream? _latest;

    static ClientMetrics()
    {
        Meter.CreateObservableCounter("streamer.client.frames.received", static () => Sum(0), "{frame}", "Audio frames received");
        Meter.CreateObservableCounter("streamer.client.bytes.received", static () => Sum(1), "By", "Audio payload bytes received (frame headers excluded)");
        Meter.CreateObservableCounter("streamer.client.frames.lost", static () => Sum(2), "{frame}", "Audio frames that never arrived (sequence gaps)");
        Meter.CreateObservableCounter("streamer.client.frames.late", static () => Sum(3), "{frame}", "Audio frames that arrived after their playout time and were dropped");
        Meter.CreateObservableCounter("streamer.client.frames.concealed", static () => Sum(4), "{frame}", "Audio frames the decoder made up in place of missing ones");
        Meter.CreateObservableCounter("streamer.client.underruns", static () => Sum(5), "{underrun}", "Times the clocked output found the jitter buffer empty and played silence");
        Meter.CreateObservableGauge("streamer.client.jitter_buffer.depth", static () => Buffer(static b => b.DepthMilliseconds), "s", "Audio queued in the jitter buffer");
        Meter.CreateObservableGauge("streamer.client.jitter_buffer.target", static () => Buffer(static b => b.TargetMilliseconds), "s", "The delay the jitter buffer aims to hold");
    }

    /// <summary>A stream starts being received: its counters are observed until <see cref="Ended"/>.</summary>
    public static void Started(ReceivedStream stream)
    {
        lock (Gate)
        {
            Live.Add(stream.Stats);
            _latest = stream;
        }

        ActiveStreams.Add(1);
    }

    /// <summary>The stream ended (however): its final counts stay in the totals.</summary>
    public static void Ended(ReceivedStream stream)
    {
        lock (Gate)
        {
            if (Live.Remove(stream.Stats))
            {
                for (int i = 0; i < Fields.Length; i++)
                {
                    Finished[i] += Fields[i](stream.Stats);
                }
            }

            if (ReferenceEquals(_latest, stream))
            {
                _latest = null;
            }
        }

        ActiveStreams.Add(-1);
    }

    private static long Sum(int field)
    {
        lock (Gate)
        {
            long total = Finished[field];
            foreach (var stats in Live)
            {
                total += Fields[field](stats);
            }

            return total;
        }
    }

    /// <summary>The latest stream's buffer figure in seconds; nothing while it has no jitter buffer.</summary>
    private static IEnumerable<Measurement<double>> Buffer(Func<JitterBuffer, double> milliseconds)
    {
        ReceivedStream? latest;
        lock (Gate)
        {
            latest = _latest;
        }

        return latest?.Buffer is { } buffer ? [new Measurement<double>(milliseconds(buffer) / 1000.0)] : [];
    }
}

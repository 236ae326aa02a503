using HdrHistogram;

namespace Streamer.Bench.Latency;

/// <summary>
/// Turns a finished run's timeline into per-stage summaries and per-frame series: run once at the end, so the
/// per-packet path only stored timestamps. A frame is measured when every timestamp its stages need is there (a
/// concealed frame, never received, is not). Stage values are differences of consecutive stamps, so per frame they
/// add up to end to end exactly when the clock offset did not move while the frame travelled.
/// </summary>
internal static class TimelineAnalysis
{
    private const long HighestMicroseconds = 3_600_000_000;

    public static (IReadOnlyList<StageSummary> Stages, double JitterMs, double WireJitterMs, double[] Times, Dictionary<LatencyStage, double[]> Series) Analyse(StageTimeline t, bool sender, long warmupFrames, double frameMs)
    {
        var stages = sender ? Enum.GetValues<LatencyStage>() : [LatencyStage.Wire, LatencyStage.ReceiveParse, LatencyStage.Decode, LatencyStage.JitterWait, LatencyStage.Output, LatencyStage.EndToEnd, LatencyStage.EngineAdded];
        var frames = new List<int>();
        // The warm-up counts from the first frame the receiver got (it joins a broadcast a little after its start).
        long from = Math.Max(0, t.FirstIndex) + warmupFrames;
        for (int i = (int)Math.Min(from, t.Capacity); i < t.Capacity; i++)
        {
            bool received = t.Parsed[i] != 0 && t.Decoded[i] != 0 && t.Readout[i] != 0 && t.Sent[i] != 0;
            bool sent = !sender || (t.Capture[i] != 0 && t.ReadDone[i] != 0);
            if (received && sent)
            {
                frames.Add(i);
            }
        }

        var series = new Dictionary<LatencyStage, double[]>();
        foreach (var stage in stages)
        {
            series[stage] = new double[frames.Count];
        }

        var times = new double[frames.Count];
        var arrivals = new long[frames.Count];
        var media = new long[frames.Count];
        var arrivalsSenderClock = new long[frames.Count];
        var sentStamps = new long[frames.Count];
        for (int n = 0; n < frames.Count; n++)
        {
            int i = frames[n];
            long offset = t.OffsetAtArrival[i];
            times[n] = t.MediaUs[i] / 1e6;
            arrivals[n] = t.Arrived[i];
            media[n] = t.MediaUs[i];
            // Every stamp on the sender's clock: local stamps plus the offset estimate (server minus local).
            long encoded = t.EncodeDone[i] != 0 ? t.EncodeDone[i] : t.ReadDone[i];
            long arrived = t.Arrived[i] + offset;
            arrivalsSenderClock[n] = arrived;
            sentStamps[n] = t.Sent[i];
            long parsed = t.Parsed[i] + offset;
            long decoded = t.Decoded[i] + offset;
            long readout = t.Readout[i] + offset;
            long heard = t.PresentedServer[i];
            Set(series, LatencyStage.Wire, n, arrived - t.Sent[i]);
            Set(series, LatencyStage.ReceiveParse, n, parsed - arrived);
            Set(series, LatencyStage.Decode, n, decoded - parsed);
            Set(series, LatencyStage.JitterWait, n, readout - decoded);
            Set(series, LatencyStage.Output, n, heard - readout);
            long engine = (parsed - arrived) + (decoded - parsed);
            if (sender)
            {
                Set(series, LatencyStage.SourceRead, n, t.ReadDone[i] - t.Capture[i]);
                Set(series, LatencyStage.Encode, n, encoded - t.ReadDone[i]);
                Set(series, LatencyStage.SendQueue, n, t.Sent[i] - encoded);
                Set(series, LatencyStage.EndToEnd, n, heard - t.Capture[i]);
                engine += (t.ReadDone[i] - t.Capture[i] - (long)Math.Round(frameMs * 1000)) + (encoded - t.ReadDone[i]) + (t.Sent[i] - encoded);
            }
            else
            {
                Set(series, LatencyStage.EndToEnd, n, heard - t.Sent[i]);
            }

            Set(series, LatencyStage.EngineAdded, n, engine);
        }

        var summaries = new List<StageSummary>();
        foreach (var stage in stages)
        {
            summaries.Add(Summarize(stage, series[stage]));
        }

        double jitterMs = Rfc3550Jitter.Compute(arrivals, media) / 1000;
        // The same estimator against the send stamps instead of the media times: the path's own jitter (the wire
        // stage's variation), without the sender's wake-ups. Both clocks are the sender's here.
        double wireJitterMs = Rfc3550Jitter.Compute(arrivalsSenderClock, sentStamps) / 1000;
        return (summaries, jitterMs, wireJitterMs, times, series);
    }

    /// <summary>One stage's figures: percentiles from an HdrHistogram (µs, 3 significant digits), the mean exact.</summary>
    public static StageSummary Summarize(LatencyStage stage, double[] milliseconds)
    {
        if (milliseconds.Length == 0)
        {
            return new StageSummary(stage, 0, 0, 0, 0, 0, 0);
        }

        var histogram = new LongHistogram(HighestMicroseconds, 3);
        double sum = 0;
        foreach (double ms in milliseconds)
        {
            sum += ms;
            // The histogram takes no negative values: an offset estimate a few µs off can make a short stage negative.
            histogram.RecordValue(Math.Clamp((long)Math.Round(ms * 1000), 0, HighestMicroseconds));
        }

        return new StageSummary(
            stage,
            milliseconds.Length,
            sum / milliseconds.Length,
            histogram.GetValueAtPercentile(50) / 1000.0,
            histogram.GetValueAtPercentile(95) / 1000.0,
            histogram.GetValueAtPercentile(99) / 1000.0,
            histogram.GetMaxValue() / 1000.0);
    }

    private static void Set(Dictionary<LatencyStage, double[]> series, LatencyStage stage, int n, long microseconds)
        => series[stage][n] = microseconds / 1000.0;
}

namespace Streamer.Bench.Latency;

/// <summary>What one latency run measured (docs/bench.md, "bench latency"; the JSON schema is documented there).</summary>
public sealed class LatencyReport
{
    /// <summary>The codec streamed.</summary>
    public required string Codec { get; init; }

    /// <summary>Audio per packet, in ms.</summary>
    public required double FrameMilliseconds { get; init; }

    /// <summary>The jitter-buffer strategy ("adaptive", "fixed:40").</summary>
    public required string Strategy { get; init; }

    /// <summary>Where the receiver connected (HOST:PORT: the bench's own server, a proxy, or a server of yours).</summary>
    public required string Target { get; init; }

    /// <summary>True when the sender ran in this process, so its stages (and end to end from capture) were measured.</summary>
    public required bool SenderMeasured { get; init; }

    /// <summary>Seconds of audio streamed.</summary>
    public required double Seconds { get; init; }

    /// <summary>Frames left out at the start (the warm-up: connect, buffer fill).</summary>
    public required long WarmupFrames { get; init; }

    /// <summary>Every stage measured, in pipeline order, then end to end and engine-added; sender stages are absent
    /// against a server not run by the bench.</summary>
    public required IReadOnlyList<StageSummary> Stages { get; init; }

    /// <summary>RFC 3550 interarrival jitter over the measured frames, in ms.</summary>
    public required double JitterMilliseconds { get; init; }

    /// <summary>
    /// The same RFC 3550 estimator over arrival time against each frame's send stamp instead of its media time, in ms:
    /// the jitter of the path alone (network, proxy, kernel, receive thread), without the sender's own pacing.
    /// </summary>
    public double WireJitterMilliseconds { get; init; }

    /// <summary>Audio packets received.</summary>
    public required long Packets { get; init; }

    /// <summary>Audio payload bytes received.</summary>
    public required long Bytes { get; init; }

    /// <summary>Packets missing (sequence gaps, a sender that skipped frames).</summary>
    public required long Lost { get; init; }

    /// <summary>Packets that came after their turn and were dropped.</summary>
    public required long Late { get; init; }

    /// <summary>Frames the decoder concealed.</summary>
    public required long Concealed { get; init; }

    /// <summary>Concealed audio, in ms.</summary>
    public double ConcealedMilliseconds => Concealed * FrameMilliseconds;

    /// <summary>Times the jitter buffer ran dry while playing.</summary>
    public required long Underruns { get; init; }

    /// <summary>The clock-offset estimate at the end (server minus local), in µs.</summary>
    public required long ClockOffsetMicroseconds { get; init; }

    /// <summary>The smallest ping round trip the estimate rests on, in µs.</summary>
    public required long RoundTripMicroseconds { get; init; }

    /// <summary>Per-frame values for charts: the media time of each measured frame, in s.</summary>
    public required IReadOnlyList<double> FrameTimes { get; init; }

    /// <summary>Per-frame values for charts: each stage's latency per measured frame, in ms (same order as <see cref="FrameTimes"/>).</summary>
    public required IReadOnlyDictionary<LatencyStage, double[]> FrameSeries { get; init; }

    /// <summary>The summary of <paramref name="stage"/>, or null when it was not measured.</summary>
    public StageSummary? Stage(LatencyStage stage)
    {
        foreach (var summary in Stages)
        {
            if (summary.Stage == stage)
            {
                return summary;
            }
        }

        return null;
    }
}

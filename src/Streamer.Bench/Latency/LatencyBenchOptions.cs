using Streamer.Media.Codecs;
using Streamer.Media.Playout;
using Streamer.Transport;

namespace Streamer.Bench.Latency;

/// <summary>How one <see cref="LatencyBench"/> run streams and what it measures.</summary>
public sealed class LatencyBenchOptions
{
    /// <summary>The codec the bench's sender encodes with (ignored with <see cref="Server"/>: that server chooses).</summary>
    public required IAudioCodec Codec { get; init; }

    /// <summary>The codec's options, the packet duration (<see cref="CodecOptions.FrameMilliseconds"/>) among them.</summary>
    public CodecOptions CodecOptions { get; init; } = new();

    /// <summary>The receiver's jitter buffer. Default: the player's defaults (adaptive, 20–500 ms).</summary>
    public JitterBufferOptions Jitter { get; init; } = new();

    /// <summary>Audio to stream, warm-up included. Default 10 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Frames in this first stretch are streamed but not measured (connect, buffer fill). Default 0.5 s.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Receive from this server instead of one the bench runs: only the receiver's stages are measured, and end to end
    /// counts from the frames' send stamps. Null (default): the bench runs its own sender on loopback.
    /// </summary>
    public HostPort? Server { get; init; }

    /// <summary>
    /// With the bench's own sender: given its address (127.0.0.1 and an ephemeral port), returns where the receiver
    /// connects instead, e.g. a proxy the caller started in front of it (<c>bench matrix</c>). Null: straight to it.
    /// </summary>
    public Func<HostPort, CancellationToken, ValueTask<HostPort>>? Route { get; init; }

    /// <summary>When set, the source's audio is written to DIR/input.wav and what the output played to DIR/output.wav.</summary>
    public string? KeepDirectory { get; init; }

    /// <summary>Told the fraction streamed (0 to 1) a few times a second, for a progress line; null: nothing.</summary>
    public IProgress<double>? Progress { get; init; }
}

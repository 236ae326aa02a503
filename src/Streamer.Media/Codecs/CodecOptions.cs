namespace Streamer.Media.Codecs;

/// <summary>What the user asked of the encoder. Codecs ignore what does not apply to them.</summary>
internal sealed record CodecOptions
{
    /// <summary>Frame duration in milliseconds (20 by default).</summary>
    public double FrameMilliseconds { get; init; } = 20;

    /// <summary>Target bitrate in bit/s, or null for the codec's default.</summary>
    public int? Bitrate { get; init; }

    /// <summary>Free-form codec settings (complexity, application, vbr, fec, expected-loss, dtx, …).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

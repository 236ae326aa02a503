using System.Globalization;

namespace Streamer.Media;

/// <summary>Interleaved PCM layout: rate, channel count, sample encoding and the WAVE channel mask (0 = unspecified).</summary>
/// <param name="SampleRate">Sample frames per second, e.g. 48000.</param>
/// <param name="Channels">Interleaved channels, e.g. 2.</param>
/// <param name="Encoding">How one sample is stored.</param>
/// <param name="ChannelMask">The WAVE speaker mask (WAVE_FORMAT_EXTENSIBLE), 0 when unspecified.</param>
public readonly record struct AudioFormat(int SampleRate, int Channels, SampleEncoding Encoding, int ChannelMask = 0)
{
    /// <summary>Bytes per sample frame (one sample of every channel): WAV's block align.</summary>
    public int BlockAlign => Channels * Encoding.BytesPerSample();

    /// <summary>Bytes of one second of this PCM.</summary>
    public int BytesPerSecond => SampleRate * BlockAlign;

    /// <summary>Bytes of <paramref name="duration"/> of this PCM, rounded to whole sample frames.</summary>
    public int BytesFor(TimeSpan duration) => (int)Math.Round(duration.TotalSeconds * SampleRate) * BlockAlign;

    /// <summary>E.g. "48000 Hz, 2 ch, s16le".</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{SampleRate} Hz, {Channels} ch, {Encoding.WireName()}");
}

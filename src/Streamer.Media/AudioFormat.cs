using System.Globalization;

namespace Streamer.Media;

/// <summary>Interleaved PCM layout: rate, channel count, sample encoding and the WAVE channel mask (0 = unspecified).</summary>
internal readonly record struct AudioFormat(int SampleRate, int Channels, SampleEncoding Encoding, int ChannelMask = 0)
{
    /// <summary>Bytes per sample frame (one sample of every channel): WAV's block align.</summary>
    public int BlockAlign => Channels * Encoding.BytesPerSample();

    public int BytesPerSecond => SampleRate * BlockAlign;

    public int BytesFor(TimeSpan duration) => (int)Math.Round(duration.TotalSeconds * SampleRate) * BlockAlign;

    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{SampleRate} Hz, {Channels} ch, {Encoding.WireName()}");
}

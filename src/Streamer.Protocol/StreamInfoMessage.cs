using System.Buffers;
using MessagePack;

namespace Streamer.Protocol;

/// <summary>Describes the audio that follows; sent by the server after the hello exchange.</summary>
/// <param name="Codec">Codec name, e.g. "pcm" or "opus".</param>
/// <param name="SampleRate">Decoded sample rate in Hz.</param>
/// <param name="Channels">Decoded channel count.</param>
/// <param name="SampleFormat">Decoded sample format: u8, s16le, s24le, s32le, f32le, f64le.</param>
/// <param name="FrameSamples">Samples per channel in each audio frame (the last may be shorter).</param>
/// <param name="ChannelMask">WAVE channel mask of the source, 0 when unknown.</param>
/// <param name="TotalSamples">Samples per channel in the whole stream, -1 when unknown (live or looping).</param>
/// <param name="Parameters">Codec parameters as text (bitrate, pre-skip, …).</param>
public sealed record StreamInfoMessage(
    string Codec,
    int SampleRate,
    int Channels,
    string SampleFormat,
    int FrameSamples,
    int ChannelMask,
    long TotalSamples,
    IReadOnlyDictionary<string, string> Parameters) : IControlMessage
{
    /// <inheritdoc/>
    public FrameKind Kind => FrameKind.StreamInfo;

    /// <inheritdoc/>
    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(8);
        writer.Write("codec");
        writer.Write(Codec);
        writer.Write("rate");
        writer.Write(SampleRate);
        writer.Write("channels");
        writer.Write(Channels);
        writer.Write("format");
        writer.Write(SampleFormat);
        writer.Write("frameSamples");
        writer.Write(FrameSamples);
        writer.Write("channelMask");
        writer.Write(ChannelMask);
        writer.Write("totalSamples");
        writer.Write(TotalSamples);
        writer.Write("params");
        writer.WriteMapHeader(Parameters.Count);
        foreach (var (key, value) in Parameters)
        {
            writer.Write(key);
            writer.Write(value);
        }
    }

    /// <summary>Reads a stream-info payload (unknown keys are skipped); throws <see cref="ProtocolException"/> when it is not a valid map or a value is out of range.</summary>
    public static StreamInfoMessage Read(ReadOnlySequence<byte> payload)
    {
        var map = MapReader.Create(payload, "stream info");
        string codec = string.Empty, format = string.Empty;
        long rate = 0, channels = 0, frameSamples = 0, mask = 0, total = -1;
        IReadOnlyDictionary<string, string> parameters = new Dictionary<string, string>();
        while (map.TryReadKey(out string key))
        {
            switch (key)
            {
                case "codec": codec = map.ReadString() ?? string.Empty; break;
                case "rate": rate = map.ReadInt64(); break;
                case "channels": channels = map.ReadInt64(); break;
                case "format": format = map.ReadString() ?? string.Empty; break;
                case "frameSamples": frameSamples = map.ReadInt64(); break;
                case "channelMask": mask = map.ReadInt64(); break;
                case "totalSamples": total = map.ReadInt64(); break;
                case "params": parameters = map.ReadStringMap(); break;
                default: map.Skip(); break;
            }
        }

        // Frames of more than a second would defeat every buffer bound downstream.
        if (rate is < 1 or > 1_000_000 || channels is < 1 or > 255 || frameSamples < 1 || frameSamples > rate)
        {
            throw new ProtocolException($"stream info is out of range (rate {rate}, channels {channels}, frame samples {frameSamples})");
        }

        return new StreamInfoMessage(codec, (int)rate, (int)channels, format, (int)frameSamples, (int)(mask & 0xFFFFFFFF), total, parameters);
    }
}

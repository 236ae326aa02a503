using System.Globalization;
using System.Runtime.InteropServices;
using Streamer.Media;
using Streamer.Media.Codecs;

namespace Streamer.Codecs.Opus;

/// <summary>Opus, managed (Concentus) or libopus: 48 kHz 16-bit PCM in, one packet per frame out.</summary>
internal sealed class OpusAudioEncoder : IAudioEncoder
{
    /// <summary>RFC 6716's largest packet for one frame.</summary>
    public const int MaxOpusPacketBytes = 1275;

    private readonly IOpusFrameEncoder _encoder;

    public OpusAudioEncoder(string codecName, bool native, AudioFormat source, OpusSettings settings)
    {
        if (source.Channels is < 1 or > 2)
        {
            throw new CodecException($"{codecName} carries 1 or 2 channels here, the source has {source.Channels}: downmix it first (e.g. sox in.wav -c 2 out.wav)");
        }

        InputFormat = new AudioFormat(OpusSettings.SampleRate, source.Channels, SampleEncoding.Int16);
        FrameSamples = settings.FrameSamples;
        _encoder = OpusLibrary.CreateEncoder(native, source.Channels, settings);
        DelaySamples = _encoder.Lookahead;
        Parameters = new Dictionary<string, string>
        {
            ["bitrate"] = settings.Bitrate.ToString(CultureInfo.InvariantCulture),
            ["complexity"] = settings.Complexity.ToString(CultureInfo.InvariantCulture),
            ["application"] = OpusSettings.ApplicationName(settings.Application),
            ["vbr"] = settings.Vbr ? "true" : "false",
            ["fec"] = settings.Fec ? "true" : "false",
            ["expected-loss"] = settings.ExpectedLossPercent.ToString(CultureInfo.InvariantCulture),
            ["dtx"] = settings.Dtx ? "true" : "false",
            [CodecStreamInfo.PreSkipKey] = DelaySamples.ToString(CultureInfo.InvariantCulture),
            ["input-rate"] = source.SampleRate.ToString(CultureInfo.InvariantCulture),
            ["implementation"] = native ? "libopus" : "concentus",
        };
    }

    public AudioFormat InputFormat { get; }

    public int FrameSamples { get; }

    public int DelaySamples { get; }

    public int MaxPacketBytes => MaxOpusPacketBytes;

    public IReadOnlyDictionary<string, string> Parameters { get; }

    public int Encode(ReadOnlySpan<byte> pcm, Span<byte> packet)
        => _encoder.Encode(MemoryMarshal.Cast<byte, short>(pcm), FrameSamples, packet);

    public void Dispose() => _encoder.Dispose();
}

using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Protocol;

namespace Streamer.Bench.Latency;

/// <summary>
/// The codec under test, seen through a wrapper that stamps when each packet is encoded (the encode stage's end).
/// Name and payload kind are the real codec's, so the server picks the same packetizer and the client the same decoder.
/// </summary>
internal sealed class TimingCodec : IAudioCodec
{
    private readonly IAudioCodec _codec;
    private readonly StageTimeline _timeline;

    public TimingCodec(IAudioCodec codec, StageTimeline timeline)
    {
        _codec = codec;
        _timeline = timeline;
    }

    public string Name => _codec.Name;

    public string Description => _codec.Description;

    public CodecPayloadKind PayloadKind => _codec.PayloadKind;

    public IAudioEncoder CreateEncoder(AudioFormat source, CodecOptions options) => new TimingEncoder(_codec.CreateEncoder(source, options), _timeline);

    public IAudioDecoder CreateDecoder(CodecStreamInfo stream) => _codec.CreateDecoder(stream);

    private sealed class TimingEncoder : IAudioEncoder
    {
        private readonly IAudioEncoder _encoder;
        private readonly StageTimeline _timeline;
        private long _packets;

        public TimingEncoder(IAudioEncoder encoder, StageTimeline timeline)
        {
            _encoder = encoder;
            _timeline = timeline;
        }

        public AudioFormat InputFormat => _encoder.InputFormat;

        public int FrameSamples => _encoder.FrameSamples;

        public int DelaySamples => _encoder.DelaySamples;

        public int MaxPacketBytes => _encoder.MaxPacketBytes;

        public IReadOnlyDictionary<string, string> Parameters => _encoder.Parameters;

        public int Encode(ReadOnlySpan<byte> pcm, Span<byte> packet)
        {
            int length = _encoder.Encode(pcm, packet);
            int index = _timeline.Index(_packets++);
            if (index >= 0)
            {
                _timeline.EncodeDone[index] = WallClock.NowMicroseconds();
            }

            return length;
        }

        public void Dispose() => _encoder.Dispose();
    }
}

using BenchmarkDotNet.Attributes;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Protocol;
using Streamer.Streaming;

namespace Streamer.Benchmarks.Codecs;

/// <summary>G.711 per 20 ms stereo frame at 8 kHz: a table lookup a sample, no allocation.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class G711Benchmarks
{
    private readonly byte[] _pcm = new byte[160 * 4];
    private readonly byte[] _packet = new byte[320];
    private readonly byte[] _output = new byte[160 * 4];
    private IAudioEncoder _encoder = null!;
    private IAudioDecoder _decoder = null!;

    [Params("ulaw", "alaw")]
    public string Codec { get; set; } = "ulaw";

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_pcm);
        var codec = CodecRegistry.Default.Get(Codec);
        _encoder = codec.CreateEncoder(new AudioFormat(8000, 2, SampleEncoding.Int16), new CodecOptions());
        _decoder = codec.CreateDecoder(new StreamInfoMessage(Codec, 8000, 2, "s16le", 160, 0, -1, new Dictionary<string, string>()));
    }

    [Benchmark]
    public int Encode() => _encoder.Encode(_pcm, _packet);

    [Benchmark]
    public int Decode() => _decoder.Decode(_packet, _output);
}

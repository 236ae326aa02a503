using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Streamer.Codecs.Opus;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Sources;
using Streamer.Protocol;
using Streamer.Streaming;

namespace Streamer.Benchmarks.Codecs;

/// <summary>
/// One 20 ms stereo frame at 64 kbit/s, complexity 10: our codec wrappers against the bare Concentus calls they make,
/// for the managed codec and for libopus. The wrapper should cost under 5 % more and allocate nothing of its own
/// (managed Concentus allocates inside; libopus allocates nothing, so any bytes there would be ours).
/// Run: dotnet run -c Release --project bench/Streamer.Benchmarks -- --filter '*OpusCodecBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20)]
public class OpusCodecBenchmarks
{
    private const int FrameSamples = 960;
    private const int Frames = 50;

    private byte[] _pcm = [];
    private short[] _pcmShorts = [];
    private byte[][] _packets = [];
    private readonly byte[] _packet = new byte[1275];
    private readonly byte[] _output = new byte[5760 * 4];
    private readonly short[] _outputShorts = new short[5760 * 2];
    private IOpusFrameEncoder _bareEncoder = null!;
    private IOpusFrameDecoder _bareDecoder = null!;
    private IAudioEncoder _encoder = null!;
    private IAudioDecoder _decoder = null!;
    private int _next;

    [Params("opus", "opus-native")]
    public string Codec { get; set; } = "opus";

    [GlobalSetup]
    public void Setup()
    {
        byte[] wav = TestSignal.CreateWav(1.1);
        _pcm = wav.AsSpan(wav.Length - (Frames * FrameSamples * 4)).ToArray();
        _pcmShorts = MemoryMarshal.Cast<byte, short>(_pcm).ToArray();
        bool native = Codec == OpusCodec.NativeName;
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        var codec = CodecRegistry.Default.Get(Codec);
        _encoder = codec.CreateEncoder(format, new CodecOptions { Bitrate = 64000 });
        var info = new StreamInfoMessage(Codec, 48000, 2, "s16le", FrameSamples, 0, -1, _encoder.Parameters);
        _decoder = codec.CreateDecoder(info);
        // The same settings the wrapper applies, so both run the same code paths inside the codec.
        _bareEncoder = OpusLibrary.CreateEncoder(native, 2, OpusSettings.Parse(Codec, new CodecOptions { Bitrate = 64000 }));
        _bareDecoder = OpusLibrary.CreateDecoder(native, 2);
        _packets = new byte[Frames][];
        for (int i = 0; i < Frames; i++)
        {
            int length = _encoder.Encode(_pcm.AsSpan(i * FrameSamples * 4, FrameSamples * 4), _packet);
            _packets[i] = _packet.AsSpan(0, length).ToArray();
        }
    }

    [Benchmark(Baseline = true)]
    public int BareConcentusEncode()
    {
        int i = Next();
        return _bareEncoder.Encode(_pcmShorts.AsSpan(i * FrameSamples * 2, FrameSamples * 2), FrameSamples, _packet);
    }

    [Benchmark]
    public int WrapperEncode()
    {
        int i = Next();
        return _encoder.Encode(_pcm.AsSpan(i * FrameSamples * 4, FrameSamples * 4), _packet);
    }

    [Benchmark]
    public int BareConcentusDecode() => _bareDecoder.Decode(_packets[Next()], _outputShorts, 5760, false);

    [Benchmark]
    public int WrapperDecode() => _decoder.Decode(_packets[Next()], _output);

    [Benchmark]
    public int WrapperConcealPlc() => _decoder.Conceal(FrameSamples, ReadOnlySpan<byte>.Empty, _output);

    [GlobalCleanup]
    public void Cleanup()
    {
        _encoder.Dispose();
        _decoder.Dispose();
        _bareEncoder.Dispose();
        _bareDecoder.Dispose();
    }

    private int Next()
    {
        int i = _next;
        _next = (_next + 1) % Frames;
        return i;
    }
}

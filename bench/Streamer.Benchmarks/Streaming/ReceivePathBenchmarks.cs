using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Protocol;
using Streamer.Streaming.Receive;

namespace Streamer.Benchmarks.Streaming;

/// <summary>
/// The client's per-packet paths: parse a frame from the pipe, then either store it in the jitter buffer and let a
/// clocked output take it, or hand it straight to an unclocked output (file, null). One operation = one 20 ms
/// stereo s16 frame.
/// </summary>
[MemoryDiagnoser]
public class ReceivePathBenchmarks
{
    private static readonly AudioFormat Format = new(48000, 2, SampleEncoding.Int16);

    private readonly byte[] _audio = new byte[3840];
    private readonly byte[] _played = new byte[3840];
    private Pipe _pipe = null!;
    private FrameReader _reader = null!;
    private JitterBuffer _jitter = null!;
    private FrameDecoder _decoder = null!;
    private FrameDecoder _direct = null!;
    private NullOutput _null = null!;
    private IAudioDecoder _pcm = null!;
    private uint _sequence;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_audio);
        _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        _reader = new FrameReader(_pipe.Reader);
        var info = new StreamInfoMessage("pcm", 48000, 2, "s16le", 960, 0, -1, new Dictionary<string, string>());
        _pcm = new PcmCodec().CreateDecoder(new CodecStreamInfo(Format, 960));
        _jitter = new JitterBuffer(Format, new JitterBufferOptions(), new PlaybackStats());
        _decoder = new FrameDecoder(_pcm, info, _jitter, new PlaybackStats());
        _null = new NullOutput();
        var stats = new PlaybackStats();
        _direct = new FrameDecoder(_pcm, info, new UnclockedOutputSink(_null, Format, stats), stats);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _decoder.Dispose();
        _direct.Dispose();
        _pcm.Dispose();
    }

    [Benchmark(Description = "streamer: parse + decode + jitter buffer + output read")]
    public async ValueTask<int> ReceiveAudioFrame()
    {
        FrameWriter.Write(_pipe.Writer, new FrameHeader(FrameKind.Audio, _sequence++, 0, WallClock.NowMicroseconds()), _audio);
        await _pipe.Writer.FlushAsync();
        await _reader.ReadAsync();
        await _decoder.AcceptAsync(_reader.Current, CancellationToken.None);
        return _jitter.Read(_played);
    }

    [Benchmark(Description = "streamer: parse + straight to an unclocked output")]
    public async ValueTask<long> ReceiveAudioFrameUnclocked()
    {
        FrameWriter.Write(_pipe.Writer, new FrameHeader(FrameKind.Audio, _sequence++, 0, WallClock.NowMicroseconds()), _audio);
        await _pipe.Writer.FlushAsync();
        await _reader.ReadAsync();
        await _direct.AcceptAsync(_reader.Current, CancellationToken.None);
        return _sequence;
    }
}

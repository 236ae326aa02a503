using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Protocol;
using Streamer.Streaming;
using Streamer.Streaming.Receive;

namespace Streamer.Benchmarks.Streaming;

/// <summary>
/// The client's per-packet paths through the sink chain: parse a frame from the pipe, depacketize it, then the
/// decoder stage either stores it in the jitter buffer a clocked output takes it from, or hands it straight to an
/// unclocked output (file, null). One operation = one 20 ms stereo s16 frame.
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
    private Depacketizer _toBuffer = null!;
    private Depacketizer _toOutput = null!;
    private uint _sequence;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_audio);
        _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        _reader = new FrameReader(_pipe.Reader);
        var info = new StreamInfoMessage("pcm", 48000, 2, "s16le", 960, 0, -1, new Dictionary<string, string>());
        var bufferStats = new PlaybackStats();
        _jitter = new JitterBuffer(Format, new JitterBufferOptions(), bufferStats);
        // The benchmark plays the clocked output's part itself (it reads the buffer after each frame).
        var clocked = new ClockedOutputSink(new IdleClockedOutput(), _jitter, _ => { }, CancellationToken.None);
        _decoder = new FrameDecoder(new PcmCodec().CreateDecoder(info.ToCodecStreamInfo()), info, clocked, bufferStats);
        _toBuffer = new Depacketizer(_decoder, bufferStats);
        var stats = new PlaybackStats();
        _direct = new FrameDecoder(new PcmCodec().CreateDecoder(info.ToCodecStreamInfo()), info, new UnclockedOutputSink(new NullOutput(), Format, stats), stats);
        _toOutput = new Depacketizer(_direct, stats);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _direct.DisposeAsync();
        // The idle output never completes; the buffer's sink is left to the process's end.
    }

    [Benchmark(Description = "streamer: parse + decode + jitter buffer + output read")]
    public async ValueTask<int> ReceiveAudioFrame()
    {
        FrameWriter.Write(_pipe.Writer, new FrameHeader(FrameKind.Audio, _sequence++, 0, WallClock.NowMicroseconds()), _audio);
        await _pipe.Writer.FlushAsync();
        await _reader.ReadAsync();
        await _toBuffer.AcceptAsync(_reader.Current, CancellationToken.None);
        return _jitter.Read(_played);
    }

    [Benchmark(Description = "streamer: parse + straight to an unclocked output")]
    public async ValueTask<long> ReceiveAudioFrameUnclocked()
    {
        FrameWriter.Write(_pipe.Writer, new FrameHeader(FrameKind.Audio, _sequence++, 0, WallClock.NowMicroseconds()), _audio);
        await _pipe.Writer.FlushAsync();
        await _reader.ReadAsync();
        await _toOutput.AcceptAsync(_reader.Current, CancellationToken.None);
        return _sequence;
    }

    /// <summary>A clocked output that never pulls: the benchmark reads the buffer itself.</summary>
    private sealed class IdleClockedOutput : IClockedOutput
    {
        public string Description => "idle";

        public Task RunAsync(IPlayoutSource source, CancellationToken cancellationToken) => new TaskCompletionSource().Task;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

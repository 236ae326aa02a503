using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using MessagePack;
using Streamer.Protocol;

namespace Streamer.Benchmarks.Streaming;

/// <summary>
/// One 20 ms stereo s16 audio frame (3840 bytes) framed and written into a pipe, as the server does per packet,
/// against the seed lesson's way (serialize into a fresh byte[] per packet) as the baseline.
/// </summary>
[MemoryDiagnoser]
public class SendPathBenchmarks
{
    private readonly byte[] _audio = new byte[3840];
    private Pipe _pipe = null!;
    private FrameSender _sender = null!;
    private ReadOnlySequence<byte> _payload;
    private uint _sequence;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_audio);
        _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        _sender = new FrameSender(_pipe.Writer);
        _payload = new ReadOnlySequence<byte>(_audio);
    }

    [GlobalCleanup]
    public void Cleanup() => _sender.Dispose();

    [Benchmark(Baseline = true, Description = "seed-style: header via serializer + new byte[] per packet")]
    public int AllocatingFrame()
    {
        byte[] header = MessagePackSerializer.Serialize(new object[] { (byte)FrameKind.Audio, _sequence++, 960UL, WallClock.NowMicroseconds() });
        byte[] frame = new byte[8 + header.Length + _audio.Length];
        BinaryPrimitives.WriteUInt64BigEndian(frame, (ulong)(header.Length + _audio.Length));
        header.CopyTo(frame, 8);
        _audio.CopyTo(frame, 8 + header.Length);
        return frame.Length;
    }

    [Benchmark(Description = "streamer: FrameSender.SendAudioAsync into the pipe")]
    public async ValueTask<bool> SendAudioFrame()
    {
        bool sent = await _sender.SendAudioAsync(_sequence++, 960, _payload);
        Drain();
        return sent;
    }

    private void Drain()
    {
        if (_pipe.Reader.TryRead(out var result))
        {
            _pipe.Reader.AdvanceTo(result.Buffer.End);
        }
    }
}

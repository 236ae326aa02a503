using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using MessagePack;
using Streamer.Media;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Sources;
using Streamer.Protocol;
using Streamer.Streaming.Send;

namespace Streamer.Benchmarks.Streaming;

/// <summary>
/// One 20 ms stereo s16 audio frame (3840 bytes) framed and written into a pipe, as the server does per packet,
/// against the seed lesson's way (serialize into a fresh byte[] per packet) as the baseline; and the whole PCM send
/// path of a session: a frame pulled from a WAV source through the packetizer (a slice of the file's pipe) and sent.
/// </summary>
[MemoryDiagnoser]
public class SendPathBenchmarks
{
    private readonly byte[] _audio = new byte[3840];
    private Pipe _pipe = null!;
    private FrameSender _sender = null!;
    private ReadOnlySequence<byte> _payload;
    private IPacketizer _packetizer = null!;
    private uint _sequence;
    private ulong _timestamp;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_audio);
        _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        _sender = new FrameSender(_pipe.Writer);
        _payload = new ReadOnlySequence<byte>(_audio);
        var source = WavFileSource.OpenAsync(new EndlessWavStream(_audio), "bench").GetAwaiter().GetResult();
        _packetizer = new PcmPacketizer(source, 960);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _packetizer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

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

    [Benchmark(Description = "streamer: WAV source -> PcmPacketizer -> FrameSender (a session's PCM frame)")]
    public async ValueTask<bool> SendSourceFrame()
    {
        await _packetizer.MoveNextAsync(CancellationToken.None);
        bool sent = await _sender.SendAudioAsync(_sequence++, _timestamp, _packetizer.Current);
        _timestamp += (ulong)_packetizer.CurrentSamples;
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

/// <summary>A WAV of unknown length whose data repeats forever, read without allocating: a source that never ends.</summary>
internal sealed class EndlessWavStream : Stream
{
    private readonly byte[] _header = new byte[68];
    private readonly byte[] _data;
    private readonly int _headerLength;
    private long _position;

    public EndlessWavStream(byte[] data)
    {
        _data = data;
        _headerLength = WavWriter.WriteHeader(_header, new AudioFormat(48000, 2, SampleEncoding.Int16), data.Length);
        // An unknown data size: "to the end of the stream".
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(_headerLength - 4), uint.MaxValue);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        int written = 0;
        while (written < buffer.Length)
        {
            ReadOnlySpan<byte> from = _position < _headerLength
                ? _header.AsSpan((int)_position, _headerLength - (int)_position)
                : _data.AsSpan((int)((_position - _headerLength) % _data.Length));
            int n = Math.Min(from.Length, buffer.Length - written);
            from[..n].CopyTo(buffer[written..]);
            written += n;
            _position += n;
        }

        return written;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Protocol;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Benchmarks.Streaming;

/// <summary>
/// A broadcast's per-listener cost when the listener keeps up: one already-encoded Opus-sized frame (200 bytes) sent
/// at once through <see cref="FrameSender.TrySendEncodedNow"/> over a real loopback socket (one non-blocking
/// <c>send</c>), against the queued way every frame took before (the same bytes written into the connection's output
/// and flushed: its send loop then makes the same <c>send</c>). A thread on the other end reads and discards. Both must
/// allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private readonly byte[] _frame = new byte[200];
    private SocketListener _listener = null!;
    private IConnection _server = null!;
    private Socket _peer = null!;
    private Thread _reader = null!;
    private FrameSender _sender = null!;
    private Frame _queued = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_frame);
        _listener = new SocketListener("127.0.0.1", 0, 16, new SocketConnectionOptions(), NullLogger.Instance);
        var accepting = _listener.AcceptAsync().AsTask();
        _peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _peer.Connect(_listener.EndPoint);
        _server = accepting.GetAwaiter().GetResult()!;
        _sender = new FrameSender(_server.Output, _server as IImmediateSend);
        _queued = new Frame(_frame);
        _reader = new Thread(() =>
        {
            var buffer = new byte[256 * 1024];
            try
            {
                while (_peer.Receive(buffer) > 0)
                {
                }
            }
            catch (SocketException)
            {
            }
        }) { IsBackground = true };
        _reader.Start();
        // The send loop starts on the thread pool: wait until it waits, so the first frame can go at once.
        while (!_sender.TrySendEncodedNow(_frame))
        {
            Thread.Sleep(1);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _peer.Dispose();
        _listener.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "queued: write into the output and flush (the send loop sends)")]
    public async ValueTask<bool> Queued() => await _sender.SendEncodedAsync(_queued);

    [Benchmark(Description = "fan-out: TrySendEncodedNow, one non-blocking send from the caller's memory")]
    public bool AtOnce() => _sender.TrySendEncodedNow(_frame);

    private sealed class Frame(byte[] bytes) : IEncodedFrames
    {
        public void WriteTo(System.Buffers.IBufferWriter<byte> output)
        {
            bytes.CopyTo(output.GetSpan(bytes.Length));
            output.Advance(bytes.Length);
        }
    }
}

using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using Streamer.Protocol;
using Streamer.Transport;

namespace Streamer.Bench.Latency;

/// <summary>
/// Connects as the wrapped factory does, and notes when new bytes become readable on the connection: the receiver's
/// "arrived" stamp of a frame is the last such moment before the frame is parsed (the end of the wire stage, the
/// start of receive and parse). Works over any transport, a proxy included. One store per read, no allocation.
/// </summary>
internal sealed class ArrivalConnector : IConnectionFactory
{
    private readonly IConnectionFactory _inner;

    public ArrivalConnector(IConnectionFactory inner) => _inner = inner;

    /// <summary>When new bytes last became readable (<see cref="WallClock"/> µs), 0 before any.</summary>
    public long LastArrivalUs => Volatile.Read(ref _lastArrivalUs);

    private long _lastArrivalUs;

    public async ValueTask<IConnection> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken = default)
        => new Connection(await _inner.ConnectAsync(endPoint, cancellationToken), this);

    private void Arrived() => Volatile.Write(ref _lastArrivalUs, WallClock.NowMicroseconds());

    private sealed class Connection : IConnection
    {
        private readonly IConnection _inner;

        public Connection(IConnection inner, ArrivalConnector owner)
        {
            _inner = inner;
            Input = new StampingReader(inner.Input, owner);
        }

        public PipeReader Input { get; }

        public PipeWriter Output => _inner.Output;

        public EndPoint? RemoteEndPoint => _inner.RemoteEndPoint;

        public EndPoint? LocalEndPoint => _inner.LocalEndPoint;

        public void Abort() => _inner.Abort();

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }

    /// <summary>Stamps a read whose buffer holds more than was left unconsumed after the previous one: new bytes.</summary>
    private sealed class StampingReader : PipeReader
    {
        private readonly PipeReader _inner;
        private readonly ArrivalConnector _owner;
        private ReadOnlySequence<byte> _last;
        private long _left;

        public StampingReader(PipeReader inner, ArrivalConnector owner)
        {
            _inner = inner;
            _owner = owner;
        }

        public override void AdvanceTo(SequencePosition consumed)
        {
            _left = _last.Slice(consumed).Length;
            _inner.AdvanceTo(consumed);
        }

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            _left = _last.Slice(consumed).Length;
            _inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => _inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => _inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var read = _inner.ReadAsync(cancellationToken);
            return read.IsCompletedSuccessfully ? new ValueTask<ReadResult>(Seen(read.Result)) : AwaitAsync(read);
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!_inner.TryRead(out result))
            {
                return false;
            }

            Seen(result);
            return true;
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<ReadResult> AwaitAsync(ValueTask<ReadResult> read) => Seen(await read);

        private ReadResult Seen(ReadResult result)
        {
            if (result.Buffer.Length > _left)
            {
                _owner.Arrived();
            }

            _last = result.Buffer;
            return result;
        }
    }
}

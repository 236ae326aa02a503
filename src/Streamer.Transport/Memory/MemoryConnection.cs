using System.Buffers;
using System.IO.Pipelines;
using System.Net;

namespace Streamer.Transport.Memory;

/// <summary>
/// One end of an in-process connected pair: what one end writes, the other reads, with no socket. Each end owns a
/// small pump (its output pipe into the peer's input pipe), so, as with a socket, the transport and not the
/// application completes the pipes it does not own: disposal drains and ends the peer's input cleanly, an abort ends
/// both directions at once and the peer reads a <see cref="ConnectionResetException"/> after what it already got.
/// The pump runs on the thread that flushes (as a socket's inline send loop does), which also lets this end take bytes
/// at once (<see cref="IImmediateSend"/>) while nothing is queued, so protocol tests cover that path without sockets.
/// </summary>
internal sealed class MemoryConnection : IConnection, IImmediateSend, IWriteCounter
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly Pipe _outgoing;
    private readonly Pipe _incoming;
    private readonly ReceivedInput _received;
    private readonly Link _link;
    private MemoryConnection _peer = null!;
    private Task _pump = Task.CompletedTask;
    private readonly CountingPipeWriter _writer;
    private long _written;
    private long _handedOn;
    private int _disposed;

    private MemoryConnection(Link link, EndPoint local, EndPoint remote, long maxInputBufferBytes)
    {
        _link = link;
        LocalEndPoint = local;
        RemoteEndPoint = remote;
        _outgoing = new Pipe(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, readerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        // Bounded like a socket's input: one maximal frame must fit, or a reader waiting for its end would deadlock.
        _incoming = new Pipe(new PipeOptions(pauseWriterThreshold: maxInputBufferBytes, resumeWriterThreshold: maxInputBufferBytes / 2, useSynchronizationContext: false));
        _received = new ReceivedInput(_incoming.Reader);
        _writer = new CountingPipeWriter(_outgoing.Writer, this);
    }

    public EndPoint? RemoteEndPoint { get; }

    public EndPoint? LocalEndPoint { get; }

    public PipeReader Input => _received;

    public PipeWriter Output => _writer;

    /// <summary>A connected pair, both ends running.</summary>
    public static (MemoryConnection Client, MemoryConnection Server) CreatePair(EndPoint clientEndPoint, EndPoint serverEndPoint, long maxInputBufferBytes)
    {
        var link = new Link();
        var client = new MemoryConnection(link, clientEndPoint, serverEndPoint, maxInputBufferBytes);
        var server = new MemoryConnection(link, serverEndPoint, clientEndPoint, maxInputBufferBytes);
        client._peer = server;
        server._peer = client;
        client._pump = Task.Run(client.PumpAsync);
        server._pump = Task.Run(server.PumpAsync);
        return (client, server);
    }

    public void Abort() => _link.Abort(this);

    void IWriteCounter.Written(int bytes) => _written += bytes;

    /// <summary>
    /// Takes <paramref name="data"/> whole while the pump waits with nothing queued (the peer's input may still be
    /// full: then the pump holds these bytes until the peer reads, as a socket's buffer would), nothing otherwise.
    /// </summary>
    public int TrySendNow(ReadOnlySpan<byte> data)
    {
        if (Volatile.Read(ref _handedOn) != _written || data.Length > 32 * 1024 || Volatile.Read(ref _disposed) != 0)
        {
            return 0;
        }

        // Through the (empty) outgoing pipe, so order is kept by construction; the pump runs inline and hands the
        // bytes on before the flush returns, and below the pause threshold the flush cannot wait.
        _writer.Write(data);
        var flush = _writer.FlushAsync();
        if (!flush.IsCompleted)
        {
            throw new InvalidOperationException("the memory connection's queue was not empty");
        }

        return flush.Result.IsCompleted ? 0 : data.Length;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _outgoing.Writer.CompleteAsync();
        await _received.CompleteAsync();
        try
        {
            await _pump.WaitAsync(DrainTimeout);
        }
        catch (TimeoutException)
        {
            Abort();
        }
    }

    /// <summary>Copies what this end wrote into the peer's input until either side ends or the link is aborted.</summary>
    private async Task PumpAsync()
    {
        var source = _outgoing.Reader;
        var target = _peer._incoming.Writer;
        try
        {
            while (true)
            {
                var result = await source.ReadAsync(_link.Aborted);
                foreach (var segment in result.Buffer)
                {
                    target.Write(segment.Span);
                }

                long handed = result.Buffer.Length;
                source.AdvanceTo(result.Buffer.End);
                Volatile.Write(ref _handedOn, _handedOn + handed);
                var flush = await target.FlushAsync(_link.Aborted);
                if (result.IsCompleted || flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            if (ReferenceEquals(_link.AbortedBy, this))
            {
                // As TCP: the end that aborted reads a clean end, the other a reset.
                _peer._received.Fail(new ConnectionResetException("the peer aborted the connection"));
            }

            await target.CompleteAsync();
            await source.CompleteAsync();
        }
    }

    /// <summary>What both ends share: whether, and by which end, the pair was aborted.</summary>
    private sealed class Link
    {
        private readonly CancellationTokenSource _abort = new();
        private MemoryConnection? _abortedBy;

        public CancellationToken Aborted => _abort.Token;

        public MemoryConnection? AbortedBy => Volatile.Read(ref _abortedBy);

        public void Abort(MemoryConnection by)
        {
            if (Interlocked.CompareExchange(ref _abortedBy, by, null) is null)
            {
                _abort.Cancel();
            }
        }
    }
}

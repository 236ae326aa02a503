using System.Net;
using System.Threading.Channels;

namespace Streamer.Transport.Memory;

/// <summary>
/// An in-process transport (tests, embedding): <see cref="Listener"/> accepts what <see cref="Connector"/> connects,
/// over <see cref="MemoryConnection"/> pairs. No sockets, no ports, no kernel buffers: whole sessions run in one
/// process, deterministic but for thread scheduling.
/// </summary>
internal sealed class MemoryTransport : IConnectionListener, IConnectionFactory
{
    /// <summary>The default input bound: the protocol's 1 MiB frame, its 8-byte prefix and 64 KiB of slack, as sockets.</summary>
    public const long DefaultMaxInputBufferBytes = (1024 * 1024) + 8 + (64 * 1024);

    private readonly Channel<IConnection> _accepted = Channel.CreateUnbounded<IConnection>(new UnboundedChannelOptions { SingleReader = true });
    private readonly long _maxInputBufferBytes;
    private int _clients;

    public MemoryTransport(string name = "memory", long maxInputBufferBytes = DefaultMaxInputBufferBytes)
    {
        EndPoint = new MemoryEndPoint(name);
        _maxInputBufferBytes = maxInputBufferBytes;
    }

    public EndPoint EndPoint { get; }

    public IConnectionListener Listener => this;

    public IConnectionFactory Connector => this;

    public async ValueTask<IConnection?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Connects to this transport's listener, whatever <paramref name="endPoint"/> says; refused once it is disposed.</summary>
    public async ValueTask<IConnection> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var client = new MemoryEndPoint($"{((MemoryEndPoint)EndPoint).Name}-client-{Interlocked.Increment(ref _clients)}");
        var (clientEnd, serverEnd) = MemoryConnection.CreatePair(client, EndPoint, _maxInputBufferBytes);
        if (!_accepted.Writer.TryWrite(serverEnd))
        {
            await clientEnd.DisposeAsync();
            await serverEnd.DisposeAsync();
            throw new IOException("the memory listener is closed");
        }

        return clientEnd;
    }

    public ValueTask DisposeAsync()
    {
        _accepted.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The address of one end of an in-memory connection: a name, for logs.</summary>
internal sealed class MemoryEndPoint(string name) : EndPoint
{
    public string Name { get; } = name;

    public override string ToString() => "memory:" + Name;
}

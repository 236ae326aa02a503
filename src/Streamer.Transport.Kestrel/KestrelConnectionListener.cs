using System.Net;
using Microsoft.Extensions.Logging;
using KestrelListener = Microsoft.AspNetCore.Connections.IConnectionListener;

namespace Streamer.Transport.Kestrel;

/// <summary>Kestrel's bound listener behind Streamer's contract: each accepted <c>ConnectionContext</c> is wrapped once.</summary>
internal sealed class KestrelConnectionListener : IConnectionListener
{
    private readonly KestrelListener _listener;
    private readonly ILogger _logger;
    private int _disposed;

    public KestrelConnectionListener(KestrelListener listener, ILogger logger)
    {
        _listener = listener;
        _logger = logger;
        EndPoint = listener.EndPoint;
    }

    public EndPoint EndPoint { get; }

    /// <remarks>Kestrel skips sockets the peer reset before they were accepted and returns null once unbound; a failure
    /// of the listener itself (out of descriptors) is thrown as its <see cref="System.Net.Sockets.SocketException"/>.</remarks>
    public async ValueTask<IConnection?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var context = await _listener.AcceptAsync(cancellationToken);
            return context is null ? null : new KestrelConnection(context, _logger);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _listener.UnbindAsync();
        await _listener.DisposeAsync();
    }
}

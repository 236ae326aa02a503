using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Streamer.Transport.Kestrel;

/// <summary>
/// One Kestrel <see cref="ConnectionContext"/> behind <see cref="IConnection"/>. Kestrel's transport has no half-close:
/// completing its output shuts the socket down both ways and closes it, so input the peer sent and we have not read
/// turns the close into a reset, which can destroy an error frame before the peer reads it. The output here therefore
/// only marks itself complete (<see cref="KestrelOutput"/>) and Kestrel's output is completed at disposal, after the
/// application has drained the input (<c>Refusal</c> does). The cost: the peer sees our FIN at disposal, not when
/// the application completed its output.
/// </summary>
internal sealed class KestrelConnection : IConnection
{
    /// <summary>As long as the socket transport waits for the last bytes to leave before closing anyway.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly ConnectionContext _context;
    private readonly KestrelInput _input;
    private readonly KestrelOutput _output;
    private readonly ILogger _logger;
    private int _disposed;

    public KestrelConnection(ConnectionContext context, ILogger logger)
    {
        _context = context;
        _logger = logger;
        _input = new KestrelInput(context.Transport.Input);
        _output = new KestrelOutput(context.Transport.Output);
        RemoteEndPoint = context.RemoteEndPoint;
        LocalEndPoint = context.LocalEndPoint;
    }

    public EndPoint? RemoteEndPoint { get; }

    public EndPoint? LocalEndPoint { get; }

    public PipeReader Input => _input;

    public PipeWriter Output => _output;

    /// <summary>Kestrel closes the socket with linger 0 on an abort (its default <c>FinOnError</c> false): the peer sees a reset.</summary>
    public void Abort() => _context.Abort(new ConnectionAbortedException("The connection was aborted by the application."));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Kestrel's send loop sends what is queued, then shuts the socket down and closes it; its DisposeAsync waits
        // for that. A peer that stopped reading would hold it forever: after the timeout, abort (as the socket
        // transport does).
        var disposing = _context.DisposeAsync().AsTask();
        try
        {
            await disposing.WaitAsync(DrainTimeout);
        }
        catch (TimeoutException)
        {
            KestrelLog.DrainTimedOut(_logger, RemoteEndPoint);
            Abort();
            await disposing;
        }
    }
}

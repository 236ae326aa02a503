using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Transport;

namespace Streamer.Bench.Proxy;

/// <summary>
/// One client connection and its upstream: connects, runs both directions' pumps, and tears both sides down together.
/// A side that ends cleanly (FIN) is passed on as a half-close once its delayed bytes are out; a side that fails,
/// or the cut-at time, resets both (TCP RST, as a dropped link looks to an application).
/// </summary>
internal sealed class ProxyConnection
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly int id;
    private readonly Socket client;
    private readonly HostPort upstream;
    private readonly NetworkConditions conditions;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Action<int> received;
    private readonly Action<ProxyPump, ProxyPump> finished;
    private readonly CancellationTokenSource stop = new();
    private Socket? server;
    private int reset;

    public ProxyConnection(int id, Socket client, HostPort upstream, NetworkConditions conditions, TimeProvider time, ILogger logger, Action<int> received, Action<ProxyPump, ProxyPump> finished)
    {
        this.finished = finished;
        this.id = id;
        this.client = client;
        this.upstream = upstream;
        this.conditions = conditions;
        this.time = time;
        this.logger = logger;
        this.received = received;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop.Token);
        var token = linked.Token;
        client.NoDelay = true;
        ProxyLog.Opened(logger, id, client.RemoteEndPoint?.ToString() ?? "?", upstream.ToString());
        server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            connectTimeout.CancelAfter(ConnectTimeout);
            await server.ConnectAsync(upstream.Host, upstream.Port, connectTimeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            string reason = ex is SocketException socket ? NetworkErrors.Describe(socket.SocketErrorCode) : "no answer within 5 s";
            ProxyLog.UpstreamFailed(logger, id, upstream.ToString(), reason);
            Reset();
            return;
        }

        long opened = time.GetTimestamp();
        using var up = new ProxyPump(client, server, conditions, unchecked(conditions.Seed + (2 * id)), time, opened, received);
        using var down = new ProxyPump(server, client, conditions, unchecked(conditions.Seed + (2 * id) + 1), time, opened, received);
        using var cut = conditions.CutAt is { } at
            ? time.CreateTimer(static state => ((ProxyConnection)state!).Cut(), this, at, Timeout.InfiniteTimeSpan)
            : null;
        using var registration = token.Register(static state => ((ProxyConnection)state!).Reset(), this);
        var tasks = new[] { up.ReadAsync(token), up.WriteAsync(token), down.ReadAsync(token), down.WriteAsync(token) };
        foreach (var task in tasks)
        {
            _ = task.ContinueWith(static (t, state) => ((ProxyConnection)state!).Reset(), this, CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or System.Threading.Channels.ChannelClosedException or IOException)
        {
            ProxyLog.Broken(logger, id, ex is SocketException s ? NetworkErrors.Describe(s.SocketErrorCode) : ex.GetType().Name);
        }
        finally
        {
            up.Abort();
            down.Abort();
            await Task.WhenAll(tasks).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            client.Dispose();
            server.Dispose();
            var upDelay = up.Applied.Summary();
            var downDelay = down.Applied.Summary();
            ProxyLog.Closed(logger, id, up.Sent, down.Sent, upDelay.P50Milliseconds, upDelay.P99Milliseconds, downDelay.P50Milliseconds, downDelay.P99Milliseconds);
            finished(up, down);
        }
    }

    private void Cut()
    {
        ProxyLog.Cut(logger, id, conditions.CutAt!.Value.TotalSeconds);
        Reset();
    }

    /// <summary>Resets both sides (linger 0 sends RST instead of FIN) and stops the pumps.</summary>
    private void Reset()
    {
        if (Interlocked.Exchange(ref reset, 1) == 1)
        {
            return;
        }

        foreach (var socket in new[] { client, server })
        {
            if (socket is null)
            {
                continue;
            }

            try
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already gone: nothing left to reset.
            }
        }

        stop.Cancel();
    }
}

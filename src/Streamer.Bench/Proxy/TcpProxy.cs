using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Transport;

namespace Streamer.Bench.Proxy;

/// <summary>
/// A TCP proxy that forwards bytes both ways under <see cref="NetworkConditions"/> (delay, jitter, rate, stalls,
/// resets, corruption). It speaks no protocol, so audio, chat and probe all work through it. Each connection's
/// conditions start when it opens; the schedule runs on a <see cref="TimeProvider"/> so tests can drive it.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly Socket listener;
    private readonly HostPort upstream;
    private readonly NetworkConditions conditions;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<int, Task> connections = new();
    private readonly Action<int> received;
    private readonly Task acceptLoop;
    private readonly Lock gate = new();
    private readonly AppliedDelays appliedUp = new();
    private readonly AppliedDelays appliedDown = new();
    private readonly AppliedDelays scheduledUp = new();
    private readonly AppliedDelays scheduledDown = new();
    private int accepted;
    private long bytesReceived;

    private TcpProxy(Socket listener, HostPort upstream, NetworkConditions conditions, TimeProvider time, ILogger logger)
    {
        this.listener = listener;
        this.upstream = upstream;
        this.conditions = conditions;
        this.time = time;
        this.logger = logger;
        received = n => Interlocked.Add(ref bytesReceived, n);
        acceptLoop = Task.Run(AcceptAsync);
    }

    /// <summary>Where the proxy listens (with the port chosen when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)listener.LocalEndPoint!;

    /// <summary>The conditions applied to each connection.</summary>
    public NetworkConditions Conditions => conditions;

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref accepted);

    /// <summary>Connections open now.</summary>
    public int ActiveConnections => connections.Count;

    /// <summary>Bytes the proxy has read from either side of every connection so far (before any delay).</summary>
    public long BytesReceived => Interlocked.Read(ref bytesReceived);

    /// <summary>The delay the proxy applied to the bytes from clients to the upstream, over every connection closed so far.</summary>
    public AppliedDelaySummary UpstreamDelay => Read(appliedUp);

    /// <summary>The delay the proxy applied to the bytes from the upstream to clients (a stream's audio), over every connection closed so far.</summary>
    public AppliedDelaySummary DownstreamDelay => Read(appliedDown);

    /// <summary>The delay the proxy's schedule gave the bytes from the upstream to clients (release − arrival, before any lateness), over every connection closed so far.</summary>
    public AppliedDelaySummary DownstreamSchedule => Read(scheduledDown);

    /// <summary>Listens on <paramref name="listen"/> and forwards each connection to <paramref name="upstream"/>.</summary>
    /// <param name="listen">Address and port to listen on; port 0 picks a free one.</param>
    /// <param name="upstream">Where each accepted connection is forwarded; connected when a client arrives.</param>
    /// <param name="conditions">The conditions, applied to both directions of every connection.</param>
    /// <param name="time">The clock the schedule runs on; default the system's.</param>
    /// <param name="logger">Connection events; default none.</param>
    /// <exception cref="SocketException">The address cannot be listened on (in use, not local).</exception>
    public static TcpProxy Start(IPEndPoint listen, HostPort upstream, NetworkConditions conditions, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(conditions);
        var socket = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (listen.AddressFamily == AddressFamily.InterNetworkV6 && listen.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(listen);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new TcpProxy(socket, upstream, conditions, time ?? TimeProvider.System, logger ?? NullLogger.Instance);
    }

    /// <summary>Stops listening and resets every open connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Dispose();
        await acceptLoop.ConfigureAwait(false);
        foreach (var task in connections.Values)
        {
            await task.ConfigureAwait(false);
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            int id = Interlocked.Increment(ref accepted);
            var connection = new ProxyConnection(id, client, upstream, conditions, time, logger, received, Merge);
            connections[id] = RunAsync(id, connection);
        }
    }

    private AppliedDelaySummary Read(AppliedDelays delays)
    {
        lock (gate)
        {
            return delays.Summary();
        }
    }

    /// <summary>Adds a closed connection's applied delays to the proxy's totals (once per connection: not a hot path).</summary>
    private void Merge(ProxyPump up, ProxyPump down)
    {
        lock (gate)
        {
            appliedUp.Add(up.Applied);
            appliedDown.Add(down.Applied);
            scheduledUp.Add(up.Scheduled);
            scheduledDown.Add(down.Scheduled);
        }
    }

    private async Task RunAsync(int id, ProxyConnection connection)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync(stop.Token);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            ProxyLog.Broken(logger, id, ex.Message);
        }
        finally
        {
            connections.TryRemove(id, out _);
        }
    }
}

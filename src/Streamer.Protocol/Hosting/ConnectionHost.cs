using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Transport;

namespace Streamer.Protocol.Hosting;

/// <summary>
/// The accept loop every server shares: accepts, tracks and bounds connections, and stops gracefully. Each
/// connection runs in two phases (<see cref="IHostedConnection"/>): its hello in a bounded pending pool under a
/// short deadline, then its session in one of <see cref="ConnectionHostOptions.MaxSessions"/> slots, or a
/// <c>server-full</c> refusal in place of the server's hello. Running out of descriptors pauses accepting; it never
/// ends the loop or touches the sessions already running.
/// </summary>
public sealed class ConnectionHost : IAsyncDisposable
{
    private static readonly TimeSpan MaxAcceptBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan EvictionReportPeriod = TimeSpan.FromSeconds(10);

    private readonly IConnectionListener _listener;
    private readonly ConnectionHostOptions _options;
    private readonly Func<IConnection, IHostedConnection> _create;
    private readonly string _fullMessage;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly PendingPool _pending = new();
    private readonly DescriptorBudget _descriptors;
    private readonly Dictionary<PeerAddress, int> _sessionsPerAddress = [];
    private readonly CancellationTokenSource _sessionsStop = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sessions;
    private int _active;
    private volatile bool _stopping;
    private int _evictedSinceReport;
    private long _lastEvictionReport = Stopwatch.GetTimestamp();

    /// <summary>Serves what <paramref name="listener"/> accepts (any transport); the host disposes it.</summary>
    /// <param name="listener">Where connections come from.</param>
    /// <param name="options">The limits: slots, pending places, per-address caps, deadlines, descriptor reserve.</param>
    /// <param name="create">Makes the session for one admitted connection.</param>
    /// <param name="fullMessage">What a client turned away with <c>server-full</c> is told.</param>
    /// <param name="logger">Where accept errors, refusals and evictions are logged.</param>
    public ConnectionHost(IConnectionListener listener, ConnectionHostOptions options, Func<IConnection, IHostedConnection> create, string fullMessage, ILogger logger)
    {
        _listener = listener;
        _options = options;
        _create = create;
        _fullMessage = fullMessage;
        _logger = logger;
        _descriptors = DescriptorBudget.ForThisProcess(options.DescriptorReserve);
    }

    /// <summary>Where the listener is bound.</summary>
    public EndPoint LocalEndPoint => _listener.EndPoint;

    /// <summary>Connections past their hello, in a slot now.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>Connections still in their hello now.</summary>
    public int PendingConnections
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Accepts until cancelled; then closes every connection still in its hello. Sessions go on until <see cref="StopAsync"/>.</summary>
    public async Task AcceptAsync(CancellationToken cancellationToken)
    {
        var backoff = _options.AcceptBackoff;
        int failures = 0;
        long lastFailure = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            IConnection? connection;
            try
            {
                connection = await _listener.AcceptAsync(cancellationToken);
                if (connection is null)
                {
                    break;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex) when (IsPeersOwnFailure(ex.SocketErrorCode))
            {
                HostingLog.AcceptFailed(_logger, ex.SocketErrorCode);
                continue;
            }
            catch (SocketException ex)
            {
                // Out of descriptors (EMFILE, ENFILE) or kernel memory: retrying at once would spin on the same
                // error. Pause; clients wait in the backlog, sessions go on and free descriptors as they end.
                if (failures++ == 0)
                {
                    HostingLog.AcceptExhausted(_logger, DescribeExhaustion(ex.SocketErrorCode), Sessions);
                }

                lastFailure = Stopwatch.GetTimestamp();

                if (!await DelayAsync(backoff, cancellationToken))
                {
                    break;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxAcceptBackoff.Ticks));
                continue;
            }

            _descriptors.Accepted();
            if (!_descriptors.HasRoom(PendingConnections))
            {
                // Taking it would eat into the descriptors the running sessions and the runtime need: close it at
                // once (the client learns now instead of waiting in the backlog) and say so once per episode.
                if (failures++ == 0)
                {
                    var (open, limit, reserve) = _descriptors.Last;
                    HostingLog.DescriptorsLow(_logger, open, limit, reserve, Sessions);
                }

                lastFailure = Stopwatch.GetTimestamp();
                connection.Abort();
                await connection.DisposeAsync();
                continue;
            }

            // Near the limit, accepts succeed and fail by turns: the episode ends only after a quiet second, so the
            // log says it once, not twenty times a second.
            if (failures > 0 && Stopwatch.GetElapsedTime(lastFailure) >= MaxAcceptBackoff)
            {
                HostingLog.AcceptRecovered(_logger, failures);
                failures = 0;
                backoff = _options.AcceptBackoff;
            }

            Admit(connection);
        }

        PendingConnection[] left;
        lock (_lock)
        {
            left = _pending.ToArray();
        }

        foreach (var pending in left)
        {
            pending.Close();
        }
    }

    /// <summary>Stops every session and waits until every connection has ended.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        await _sessionsStop.CancelAsync();
        if (Volatile.Read(ref _active) == 0)
        {
            _drained.TrySetResult();
        }

        await _drained.Task;
    }

    /// <summary>Closes the listener (an accept loop that is running ends).</summary>
    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private void Admit(IConnection connection)
    {
        var pending = new PendingConnection(connection, PeerAddress.Of(connection.RemoteEndPoint));
        PendingConnection? evicted = null;
        string? reason = null;
        lock (_lock)
        {
            int fromAddress = _pending.CountFrom(pending.Address);
            if (fromAddress >= _options.MaxPendingPerAddress)
            {
                evicted = _pending.OldestFrom(pending.Address);
                reason = string.Create(CultureInfo.InvariantCulture, $"{fromAddress} connections from its address are in their hello (limit {_options.MaxPendingPerAddress})");
            }
            else if (_pending.Count >= _options.MaxPendingConnections)
            {
                evicted = _pending.OldestOfBusiestAddress();
                reason = string.Create(CultureInfo.InvariantCulture, $"{_pending.Count} connections are in their hello (limit {_options.MaxPendingConnections})");
            }

            if (evicted is not null)
            {
                _pending.Remove(evicted);
            }

            _pending.Add(pending);
        }

        if (evicted is not null)
        {
            // An old one goes, not the newest: a real client's hello takes milliseconds, a slowloris socket waits;
            // and it goes from the busiest address, so an attacker's many sockets evict each other, not a bystander.
            HostingLog.Evicted(_logger, evicted.Connection.RemoteEndPoint, reason!);
            ReportEviction(reason!);
            evicted.Close();
        }

        Interlocked.Increment(ref _active);
        _ = Task.Run(() => RunAsync(pending));
    }

    private async Task RunAsync(PendingConnection pending)
    {
        var connection = pending.Connection;
        try
        {
            var hosted = _create(connection);
            bool helloOk = await hosted.AcceptHelloAsync(_options.HandshakeTimeout, pending.Cancel.Token);
            bool admitted = false;
            bool full = false;
            lock (_lock)
            {
                // Evicted meanwhile (no longer pending): its socket is closed, whatever the hello said.
                if (_pending.Remove(pending))
                {
                    if (helloOk)
                    {
                        admitted = TryTakeSlot(pending.Address);
                        full = !admitted;
                    }
                }
            }

            if (full)
            {
                HostingLog.Refused(_logger, connection.RemoteEndPoint, SessionLimitText(pending.Address));
                await hosted.RefuseAsync("server-full", _fullMessage);
            }
            else if (admitted)
            {
                try
                {
                    await hosted.RunAsync(_sessionsStop.Token);
                }
                finally
                {
                    ReleaseSlot(pending.Address);
                }
            }
        }
        catch (OperationCanceledException) when (pending.Cancel.IsCancellationRequested || _sessionsStop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug in a session must cost that one connection, never the loop or the other sessions.
            HostingLog.ConnectionFailed(_logger, connection.RemoteEndPoint, ex.Message);
            connection.Abort();
        }
        finally
        {
            lock (_lock)
            {
                _pending.Remove(pending);
            }

            await connection.DisposeAsync();
            pending.Cancel.Dispose();
            if (Interlocked.Decrement(ref _active) == 0 && _stopping)
            {
                _drained.TrySetResult();
            }
        }
    }

    private bool TryTakeSlot(PeerAddress address)
    {
        if (_sessions >= _options.MaxSessions)
        {
            return false;
        }

        int fromAddress = _sessionsPerAddress.GetValueOrDefault(address);
        if (_options.MaxSessionsPerAddress > 0 && fromAddress >= _options.MaxSessionsPerAddress)
        {
            return false;
        }

        _sessionsPerAddress[address] = fromAddress + 1;
        Volatile.Write(ref _sessions, _sessions + 1);
        return true;
    }

    private void ReleaseSlot(PeerAddress address)
    {
        lock (_lock)
        {
            Volatile.Write(ref _sessions, _sessions - 1);
            int left = _sessionsPerAddress[address] - 1;
            if (left == 0)
            {
                _sessionsPerAddress.Remove(address);
            }
            else
            {
                _sessionsPerAddress[address] = left;
            }
        }
    }

    private string SessionLimitText(PeerAddress address)
    {
        lock (_lock)
        {
            return _sessions >= _options.MaxSessions
                ? string.Create(CultureInfo.InvariantCulture, $"server full ({_options.MaxSessions} clients)")
                : string.Create(CultureInfo.InvariantCulture, $"its address has {_sessionsPerAddress.GetValueOrDefault(address)} clients (limit {_options.MaxSessionsPerAddress})");
        }
    }

    /// <summary>Evictions are logged one by one at Debug; a warning sums them up at most every 10 s, so an attack cannot flood the log.</summary>
    private void ReportEviction(string reason)
    {
        int count = Interlocked.Increment(ref _evictedSinceReport);
        long last = Interlocked.Read(ref _lastEvictionReport);
        if (Stopwatch.GetElapsedTime(last) >= EvictionReportPeriod
            && Interlocked.CompareExchange(ref _lastEvictionReport, Stopwatch.GetTimestamp(), last) == last)
        {
            Interlocked.Add(ref _evictedSinceReport, -count);
            HostingLog.EvictedSummary(_logger, count, (int)EvictionReportPeriod.TotalSeconds, reason);
        }
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static string DescribeExhaustion(SocketError error) => error switch
    {
        SocketError.TooManyOpenSockets => "out of file descriptors (EMFILE/ENFILE: raise 'ulimit -n')",
        SocketError.NoBufferSpaceAvailable => "out of kernel memory for sockets (ENOBUFS/ENOMEM)",
        _ => NetworkErrors.Describe(error),
    };

    /// <summary>Failures that concern only the connection being accepted (it reset while queued), not the server.</summary>
    private static bool IsPeersOwnFailure(SocketError error)
        => error is SocketError.ConnectionAborted or SocketError.ConnectionReset or SocketError.Interrupted
            or SocketError.WouldBlock or SocketError.TryAgain or SocketError.ProtocolOption or SocketError.NetworkDown
            or SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.OperationNotSupported;
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Streamer.Protocol;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Probe;

/// <summary>
/// Probes targets concurrently: resolve, connect with a timeout, retry after a delay, and when connected ask
/// whether the peer speaks the Streamer protocol. A run lasts about as long as its slowest target.
/// </summary>
public sealed class Prober
{
    private readonly ProbeOptions _options;
    private readonly ILogger _logger;

    /// <summary>A prober that probes with <paramref name="options"/> (timeouts, retries, the protocol check) and logs to <paramref name="logger"/>.</summary>
    public Prober(ProbeOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
    }

    /// <summary>Probes every target at once (up to <see cref="ProbeOptions.MaxConcurrency"/>); results keep the targets' order.</summary>
    public async Task<ProbeResult[]> ProbeAllAsync(IReadOnlyList<ProbeTarget> targets, CancellationToken cancellationToken)
    {
        await WarmUpAsync();
        using var gate = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrency));
        var probes = new Task<ProbeResult>[targets.Count];
        for (int i = 0; i < targets.Count; i++)
        {
            probes[i] = ProbeGatedAsync(targets[i], gate, cancellationToken);
        }

        return await Task.WhenAll(probes);
    }

    /// <summary>Probes one target: connects (with retries) and, when asked, runs the protocol check; a failure is a result, not an exception.</summary>
    public async Task<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        int attempts = Math.Max(1, _options.Attempts);
        Attempt last = default;
        int attempt;
        for (attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(_options.Delay, cancellationToken);
            }

            ProbeLog.Attempting(_logger, target.Text, attempt, attempts);
            last = await TryConnectAsync(target, cancellationToken);
            if (last.Socket is { } socket)
            {
                ProbeLog.Connected(_logger, target.Text, last.Address!, last.ConnectMs);
                using (socket)
                {
                    var (streamer, note) = _options.PingCount > 0
                        ? await ProtocolProbe.RunAsync(SocketConnector.Wrap(socket, ProtocolProbe.ConnectionOptions, _logger), target.Host, _options, cancellationToken)
                        : (null, null);
                    if (note is not null)
                    {
                        ProbeLog.NotStreamer(_logger, target.Text, PeerText.ForDisplay(note));
                    }

                    return new ProbeResult(target, last.Address, last.ConnectMs, attempt, ProbeFailure.None, null, streamer, note is null ? null : PeerText.ForDisplay(note));
                }
            }

            ProbeLog.AttemptFailed(_logger, target.Text, attempt, last.Failure.ToText(), last.Detail);
            if (!last.Retryable)
            {
                break;
            }
        }

        return new ProbeResult(target, last.Address, null, Math.Min(attempt, attempts), last.Failure, last.Detail, null, null);
    }

    /// <summary>
    /// Runs the connect path once on loopback so the first target's connect time measures the network, not the
    /// runtime compiling the socket code (about 10 ms on a cold start, against 0.1 ms for a loopback connect).
    /// </summary>
    private static async Task WarmUpAsync()
    {
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            long start = Stopwatch.GetTimestamp();
            await socket.ConnectAsync(listener.LocalEndPoint!, timeout.Token);
            _ = Stopwatch.GetElapsedTime(start);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
        }
    }

    private async Task<ProbeResult> ProbeGatedAsync(ProbeTarget target, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await ProbeAsync(target, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<Attempt> TryConnectAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(target.Host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var lookupTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            lookupTimeout.CancelAfter(_options.Timeout);
            try
            {
                addresses = await Dns.GetHostAddressesAsync(target.Host, lookupTimeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Attempt.Failed(null, ProbeFailure.NotResolved, "name lookup " + TimedOutText(), retryable: true);
            }
            catch (SocketException ex)
            {
                // NXDOMAIN is an answer, not a hiccup: asking again returns the same. A lookup that could not reach DNS may recover.
                return Attempt.Failed(null, ProbeFailure.NotResolved, LookupFailure(ex.SocketErrorCode), retryable: ex.SocketErrorCode == SocketError.TryAgain);
            }
            catch (ArgumentException ex)
            {
                return Attempt.Failed(null, ProbeFailure.NotResolved, ex.Message, retryable: false);
            }

            if (addresses.Length == 0)
            {
                return Attempt.Failed(null, ProbeFailure.NotResolved, "name has no addresses", retryable: false);
            }
        }

        Attempt last = default;
        foreach (var address in addresses)
        {
            last = await TryConnectAsync(address, target.Port, cancellationToken);
            if (last.Socket is not null)
            {
                return last;
            }
        }

        return last;
    }

    private async Task<Attempt> TryConnectAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        string shown = address.ToString();
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(_options.Timeout);
        long start = Stopwatch.GetTimestamp();
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), connectTimeout.Token);
            return new Attempt(socket, shown, Stopwatch.GetElapsedTime(start).TotalMilliseconds, ProbeFailure.None, string.Empty, false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            return Attempt.Failed(shown, ProbeFailure.TimedOut, "no answer " + TimedOutText(), retryable: true);
        }
        catch (SocketException ex) when (TcpConnector.AcceptedThenReset(ex))
        {
            // Connected; the protocol check reads what the peer sent before it reset.
            return new Attempt(socket, shown, Stopwatch.GetElapsedTime(start).TotalMilliseconds, ProbeFailure.None, string.Empty, false);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            return Attempt.Failed(shown, ProbeFailureText.Classify(ex.SocketErrorCode), NetworkErrors.Describe(ex.SocketErrorCode), retryable: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string LookupFailure(SocketError error) => error switch
    {
        SocketError.HostNotFound => "no such host",
        SocketError.NoData => "the name has no address records",
        SocketError.TryAgain => "the name server did not answer",
        _ => "lookup failed: " + NetworkErrors.Describe(error),
    };

    private string TimedOutText() => string.Create(CultureInfo.InvariantCulture, $"within {_options.Timeout.TotalSeconds:0.###} s");

    private readonly record struct Attempt(Socket? Socket, string? Address, double ConnectMs, ProbeFailure Failure, string Detail, bool Retryable)
    {
        public static Attempt Failed(string? address, ProbeFailure failure, string detail, bool retryable)
            => new(null, address, 0, failure, detail, retryable);
    }
}

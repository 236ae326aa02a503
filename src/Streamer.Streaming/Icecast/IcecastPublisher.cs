using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Streamer.Protocol;
using Streamer.Streaming.Http;
using Streamer.Transport;

namespace Streamer.Streaming.Icecast;

/// <summary>What an Icecast source says about its stream (the ice-* headers listeners and directories see).</summary>
public sealed class IcecastMetadata
{
    /// <summary>The stream's name (ice-name). Default "streamer".</summary>
    public string Name { get; init; } = "streamer";

    /// <summary>The stream's description (ice-description), or null for none.</summary>
    public string? Description { get; init; }

    /// <summary>Whether Icecast may list the stream in public directories (ice-public). Default false.</summary>
    public bool Public { get; init; }
}

/// <summary>
/// Publishes a broadcast's Ogg Opus stream (<see cref="OggLiveStream"/>) to an Icecast 2.4 mount as its source: an HTTP
/// PUT with Basic authentication, Content-Type audio/ogg and the ice-* headers, then the pages as they come (fresh
/// headers on each connection); a server that refuses PUT (405/501: Icecast before 2.4) gets the older SOURCE
/// request instead. When the connection fails or drops (Icecast restarts, a network cut) it reconnects with
/// exponential back-off (1 s doubling to 30 s; back to 1 s after a connection that lasted a minute), one log line
/// each time. Never slows the broadcast: the Ogg stream skips ahead for a writer that lags.
/// </summary>
public sealed class IcecastPublisher
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StableConnection = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private const int MaxResponseHeadBytes = 8 * 1024;

    private readonly IcecastTarget _target;
    private readonly OggLiveStream _stream;
    private readonly IcecastMetadata _metadata;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private bool _useSource;
    private long _connections;

    /// <summary>Publishes <paramref name="stream"/> to <paramref name="target"/> with <paramref name="metadata"/>.</summary>
    public IcecastPublisher(IcecastTarget target, OggLiveStream stream, IcecastMetadata metadata, ILogger logger, TimeProvider? time = null)
    {
        _target = target;
        _stream = stream;
        _metadata = metadata;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Successful connections so far (the first, then one per reconnection).</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>What the stream sent over all connections.</summary>
    public OggListenerStats Stats { get; } = new();

    /// <summary>The delay before reconnection attempt <paramref name="failures"/> (1-based): 1 s, 2 s, 4 s … at most 30 s.</summary>
    public static TimeSpan BackOff(int failures)
        => TimeSpan.FromSeconds(Math.Min(MaxDelay.TotalSeconds, FirstDelay.TotalSeconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 16))));

    /// <summary>Publishes until the broadcast ends or <paramref name="cancellationToken"/> is cancelled; never throws for the server's failures.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        int failures = 0;
        try
        {
            await _stream.StartedAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested && !_stream.Ended && _stream.Failure is null)
            {
                var started = _time.GetTimestamp();
                string? reason = await PublishOnceAsync(cancellationToken);
                if (reason is null || cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                // A connection that held for a while was no failure of the server's: start the back-off afresh.
                failures = _time.GetElapsedTime(started) >= StableConnection ? 1 : failures + 1;
                var delay = BackOff(failures);
                IcecastLog.Retrying(_logger, _target.ToString(), reason, delay.TotalSeconds);
                await Task.Delay(delay, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One connection: null when the broadcast ended, else why it failed or ended.</summary>
    private async Task<string?> PublishOnceAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connect.CancelAfter(HandshakeTimeout);
            await socket.ConnectAsync(_target.Host, _target.Port, connect.Token);
            socket.NoDelay = true;
            await using var network = new NetworkStream(socket, ownsSocket: false);
            string? refused = await HandshakeAsync(network, connect.Token);
            if (refused is not null && !_useSource && IsMethodRefused(refused))
            {
                // Icecast before 2.4 knows only SOURCE: say so once, and use it from now on.
                _useSource = true;
                IcecastLog.UsingSource(_logger, _target.ToString(), refused);
                return "retrying with SOURCE";
            }

            if (refused is not null)
            {
                return refused;
            }

            Interlocked.Increment(ref _connections);
            IcecastLog.Publishing(_logger, _target.ToString(), _useSource ? "SOURCE" : "PUT", _stream.Channels);
            return await StreamAsync(socket, network, cancellationToken);
        }
        catch (SocketException ex)
        {
            return NetworkErrors.Describe(ex.SocketErrorCode);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return string.Create(CultureInfo.InvariantCulture, $"no answer within {HandshakeTimeout.TotalSeconds:0} s");
        }
        catch (IOException ex)
        {
            return ex.InnerException is SocketException socketError ? NetworkErrors.Describe(socketError.SocketErrorCode) : "connection lost";
        }
    }

    /// <summary>Streams pages until the broadcast ends (null) or the server goes (its reason). A read that ends means
    /// Icecast closed the source: noticed at once rather than at the next failed write.</summary>
    private async Task<string?> StreamAsync(Socket socket, NetworkStream network, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var closed = WatchForCloseAsync(network, stop.Token);
        var writer = PipeWriter.Create(network, new StreamPipeWriterOptions(leaveOpen: true));
        try
        {
            var writing = _stream.WriteToAsync(writer, Stats, stop.Token);
            var first = await Task.WhenAny(writing, closed);
            if (first == closed)
            {
                await stop.CancelAsync();
                await Observe(writing);
                return "the server closed the connection";
            }

            await writing;
            if (_stream.Ended)
            {
                socket.Shutdown(SocketShutdown.Send);
                return null;
            }

            return "the server stopped reading";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "the server closed the connection";
        }
        finally
        {
            await stop.CancelAsync();
            await Observe(closed);
            await writer.CompleteAsync();
        }
    }

    private static async Task WatchForCloseAsync(NetworkStream network, CancellationToken cancellationToken)
    {
        // Icecast sends nothing to a source after its answer: any read that returns is the end (or an error).
        var buffer = new byte[256];
        try
        {
            while (await network.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (IOException)
        {
        }
    }

    private static async Task Observe(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or InvalidOperationException)
        {
        }
    }

    /// <summary>Sends the request head and reads the answer: null when the server takes the stream, else its refusal.</summary>
    private async Task<string?> HandshakeAsync(NetworkStream network, CancellationToken cancellationToken)
    {
        byte[] request = Encoding.UTF8.GetBytes(RequestHead());
        await network.WriteAsync(request, cancellationToken);
        while (true)
        {
            var (status, reason) = await ReadResponseHeadAsync(network, cancellationToken);
            if (status == 100)
            {
                // "100 Continue" to our Expect: the final answer may follow, or the server waits for the body.
                return null;
            }

            if (status is >= 200 and < 300)
            {
                return null;
            }

            return status switch
            {
                401 => "the server refused the source credentials (401: check the user and password)",
                403 => string.Create(CultureInfo.InvariantCulture, $"the server refused the mount (403 {reason}: in use by another source, or not allowed)"),
                0 => "the server did not answer with HTTP",
                _ => string.Create(CultureInfo.InvariantCulture, $"the server answered {status} {reason}"),
            };
        }
    }

    private static bool IsMethodRefused(string refusal)
        => refusal.StartsWith("the server answered 405", StringComparison.Ordinal) || refusal.StartsWith("the server answered 501", StringComparison.Ordinal)
            || refusal.StartsWith("the server answered 400", StringComparison.Ordinal);

    private string RequestHead()
    {
        string credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(_target.User + ":" + _target.Password));
        var head = new StringBuilder();
        string host = _target.Host.Contains(':', StringComparison.Ordinal) ? "[" + _target.Host + "]" : _target.Host;
        if (_useSource)
        {
            head.Append(CultureInfo.InvariantCulture, $"SOURCE {_target.Mount} HTTP/1.0\r\n");
        }
        else
        {
            head.Append(CultureInfo.InvariantCulture, $"PUT {_target.Mount} HTTP/1.1\r\n");
            head.Append(CultureInfo.InvariantCulture, $"Host: {host}:{_target.Port}\r\n");
            head.Append("Expect: 100-continue\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Authorization: Basic {credentials}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"User-Agent: {Handshake.Agent}\r\n");
        head.Append("Content-Type: audio/ogg\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Ice-Name: {HeaderValue(_metadata.Name)}\r\n");
        if (_metadata.Description is { Length: > 0 } description)
        {
            head.Append(CultureInfo.InvariantCulture, $"Ice-Description: {HeaderValue(description)}\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Ice-Public: {(_metadata.Public ? 1 : 0)}\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Ice-Audio-Info: channels={_stream.Channels};samplerate=48000\r\n");
        head.Append("\r\n");
        return head.ToString();
    }

    /// <summary>A header value cannot hold a line break: one would let a name forge headers.</summary>
    private static string HeaderValue(string text) => text.Replace('\r', ' ').Replace('\n', ' ');

    /// <summary>Reads "HTTP/1.x CODE REASON" and the headers after it, up to the blank line; (0, "") when it is not HTTP.</summary>
    private static async Task<(int Status, string Reason)> ReadResponseHeadAsync(NetworkStream network, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>(256);
        var one = new byte[1];
        while (bytes.Count < MaxResponseHeadBytes)
        {
            if (await network.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("the server closed the connection during the handshake");
            }

            bytes.Add(one[0]);
            int n = bytes.Count;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n')
            {
                break;
            }
        }

        string text = Encoding.Latin1.GetString(bytes.ToArray());
        string statusLine = text.Split("\r\n", 2)[0];
        string[] parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status))
        {
            return (0, string.Empty);
        }

        return (status, PeerText.ForDisplay(parts.Length > 2 ? parts[2] : string.Empty));
    }
}

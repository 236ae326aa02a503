using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Streamer.Bench.Listeners;

/// <summary>
/// What every listener of one bench run shares: the target, the tally, the gate that bounds how many connect at
/// once (a server's accept backlog is finite), and the count of listeners that have settled (connected, refused
/// or failed), which starts the measurement window.
/// </summary>
internal sealed class ListenerRun
{
    /// <summary>The input pipe's segment size: one 20 ms stereo PCM frame is ~3.9 KB, so 8 KB per listener (8 MB for
    /// a thousand). Zero-byte reads (no buffer while idle) were tried and dropped: they double the receive system
    /// calls, and the bench's own CPU is what limits how many listeners it can measure.</summary>
    private const int ReadBufferBytes = 8 * 1024;

    private static readonly double MicrosecondsPerTick = 1_000_000.0 / Stopwatch.Frequency;
    private readonly TaskCompletionSource _allSettled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _unsettled;

    public ListenerRun(ListenerBenchOptions options)
    {
        Options = options;
        _unsettled = options.Count;
        Gate = new SemaphoreSlim(options.ConnectConcurrency, options.ConnectConcurrency);
    }

    public ListenerBenchOptions Options { get; }

    public ListenerTally Tally { get; } = new();

    public SemaphoreSlim Gate { get; }

    /// <summary>Completes when every listener has settled.</summary>
    public Task AllSettled => _allSettled.Task;

    /// <summary>Microseconds on the steady clock: arrival times.</summary>
    public static long NowUs() => (long)(Stopwatch.GetTimestamp() * MicrosecondsPerTick);

    /// <summary>Each listener calls this exactly once, however its connect ended.</summary>
    public void Settle()
    {
        if (Interlocked.Decrement(ref _unsettled) == 0)
        {
            _allSettled.TrySetResult();
        }
    }

    /// <summary>A connected TCP socket, or a <see cref="SocketException"/> (timed out included).</summary>
    public async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.ConnectTimeout);
        var addresses = IPAddress.TryParse(Options.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(Options.Host, timeout.Token);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        var socket = new Socket(addresses[0].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(addresses[0], Options.Port), timeout.Token);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Small, lazily filled pipes over the socket: thousands of listeners in one process cost little.</summary>
    public static (NetworkStream Stream, PipeReader Input, PipeWriter Output) Pipes(Socket socket)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadBufferBytes, minimumReadSize: 2048, leaveOpen: true, useZeroByteReads: false));
        var output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 512, leaveOpen: true));
        return (stream, input, output);
    }

    /// <summary>The reason a listener failed, in words; a socket error by its name, without the runtime's type.</summary>
    internal static string Describe(Exception ex) => ex switch
    {
        SocketException socket => "connect: " + Words(socket.SocketErrorCode.ToString()),
        OperationCanceledException => "timed out",
        _ => ex.Message,
    };

    /// <summary>"ConnectionRefused" → "connection refused": the error's name, not the runtime's sentence (which varies by OS).</summary>
    private static string Words(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 4);
        foreach (char c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
